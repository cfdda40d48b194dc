import type { PolicyActor, PolicyCatalogue, RedactionMark } from '@outpost/core';
import { redact } from '@outpost/core';
import type { EntityRecordRow } from './recordOf.js';
import { recordOf } from './recordOf.js';

export interface RedactedEntity {
  label: string | null;
  /** The area path as this actor may see it: truncated to a level, or null when hidden. */
  areaPath: string | null;
  properties: Record<string, unknown>;
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
): RedactedEntity {
  const { record, marks } = redact(actor, recordOf(entity, areaPath), catalogue);
  return {
    label: record.label ?? null,
    areaPath: record.areaPath,
    properties: record.properties ?? {},
    marks,
  };
}
