import type { PolicyActor, PolicyCatalogue, RedactionMark, Redactor } from '@outpost/core';
import { redactorFor } from '@outpost/core';
import type { CarriedValues, EntityRecordRow } from './recordOf.js';
import { recordOf } from './recordOf.js';

export interface RedactedEntity {
  label: string | null;
  /** The area path as this actor may see it: truncated to a level, or null when hidden. */
  areaPath: string | null;
  properties: Record<string, unknown>;
  /** The carried values passed in that this actor may see (`categories` only to some roles). */
  carried: Record<string, unknown>;
  marks: RedactionMark[];
}

/**
 * An entity as it may leave the server for this actor. The caller must have established that
 * the actor may read it (`scopeFilter` in the query or `can`); `redact` throws otherwise.
 */
export function redactEntity(
  actor: PolicyActor,
  entity: EntityRecordRow,
  areaPath: string | null,
  catalogue: PolicyCatalogue,
  carried: CarriedValues = {},
): RedactedEntity {
  return redactEntityWith(redactorFor(actor, entity.project_id, catalogue), entity, areaPath, carried);
}

/** `redactEntity` with the actor's redactor for the entity's project, made once for many entities. */
export function redactEntityWith(
  redactor: Redactor,
  entity: EntityRecordRow,
  areaPath: string | null,
  carried: CarriedValues = {},
): RedactedEntity {
  const { record, marks } = redactor(recordOf(entity, areaPath, carried));
  const seen = record as Record<string, unknown>;
  return {
    label: record.label ?? null,
    areaPath: record.areaPath,
    properties: record.properties ?? {},
    carried: Object.fromEntries(Object.keys(carried).flatMap((k) => (Object.hasOwn(seen, k) ? [[k, seen[k]]] : []))),
    marks,
  };
}
