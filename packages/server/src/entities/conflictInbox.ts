import type { PolicyCatalogue, ProblemCode } from '@outpost/core';
import { catalogueFor } from '../policy/index.js';
import { appendAuditEvent } from '../storage/queries/audit.js';
import type { AttributedVersion, ConflictedEntityRow } from '../storage/queries/conflicts.js';
import { attributedVersions, listConflictedEntities } from '../storage/queries/conflicts.js';
import { findEntity, updateEntity } from '../storage/queries/entities.js';
import { lockEntities } from '../storage/queries/locks.js';
import { insertEntityVersion } from '../storage/queries/submissions.js';
import type { Store } from '../storage/store.js';
import type { ProjectReach } from '../sync/syncReach.js';
import { redactAnswers } from '../sync/syncReach.js';

/** One version in a conflict, attributed: who, on which device, made when, received when. */
export interface ConflictVersion {
  version: number;
  baseVersion: number | null;
  conflict: string | null;
  conflictingProperties: string[];
  /** What this version's submission set (label under `label`), as the reader may see it. */
  changes: Record<string, string>;
  by: { userId: string; name: string | null } | null;
  deviceId: string | null;
  madeAt: string | null;
  receivedAt: string;
  submissionId: string | null;
}

/** Every value a property was given since the versions diverged. */
export interface ConflictProperty {
  name: string;
  /** The value both sides started from. */
  common: string | null;
  current: string | null;
  values: Array<{ version: number; value: string }>;
  /** Two versions set it to different values from the same base (a `hard` conflict). */
  conflicting: boolean;
}

export interface ConflictView {
  entityId: string;
  list: string;
  label: string | null;
  version: number;
  conflict: string;
  updatedAt: string;
  /** The last version every conflicting change built on. */
  commonVersion: number;
  versions: ConflictVersion[];
  properties: ConflictProperty[];
}

/** The project's entities with a conflict flag that the reader reaches, with both sides. */
export async function listConflicts(
  reach: ProjectReach,
  page: { limit: number; offset: number },
  store: Store,
): Promise<ConflictView[]> {
  const rows = await listConflictedEntities(reach.projectId, reach.read, page, store);
  const catalogue = await catalogueFor(reach.projectId, store);
  const views: ConflictView[] = [];
  for (const row of rows) {
    const history = await attributedVersions(row.id, 1, store);
    views.push(conflictView(reach, row, history, catalogue));
  }
  return views;
}

function conflictView(
  reach: ProjectReach,
  row: ConflictedEntityRow,
  history: readonly AttributedVersion[],
  catalogue: PolicyCatalogue,
): ConflictView {
  const see = (label: string, properties: Readonly<Record<string, string>>) =>
    redactAnswers(reach, row, label, properties, catalogue);
  // Conflict flags only grow until a resolution clears them, so the conflict began after the
  // last clean version; the versions that compete are those after the oldest base they used.
  const lastClean = Math.max(0, ...history.filter((v) => v.conflict === null).map((v) => v.version));
  const disputed = history.filter((v) => v.version > lastClean);
  const bases = disputed.map((v) => v.base_version ?? v.version - 1);
  const commonVersion = Math.max(1, Math.min(row.version, ...bases));
  const common = history.find((v) => v.version === commonVersion);
  const competing = history.filter((v) => v.version > commonVersion);

  const current = see(row.label, row.properties);
  const commonSeen = common === undefined ? null : see(common.label, common.properties);
  const versions: ConflictVersion[] = competing.map((v) => {
    const { label, ...answers } = v.data_received;
    const seen = see(label ?? '', answers);
    return {
      version: v.version,
      baseVersion: v.base_version,
      conflict: v.conflict,
      conflictingProperties: v.conflicting_properties ?? [],
      changes: { ...seen.properties, ...(label !== undefined && seen.label !== null ? { label: seen.label } : {}) },
      by: v.created_by === null ? null : { userId: v.created_by, name: v.created_by_name },
      deviceId: v.device_id,
      madeAt: v.made_at,
      receivedAt: v.created_at,
      submissionId: v.submission_id,
    };
  });

  const names = [...new Set(versions.flatMap((v) => Object.keys(v.changes)))].sort();
  const properties: ConflictProperty[] = names.map((name) => {
    const values = versions.flatMap((v) =>
      name in v.changes ? [{ version: v.version, value: v.changes[name] ?? '' }] : [],
    );
    const pick = (seen: { label: string | null; properties: Record<string, string> } | null): string | null =>
      seen === null ? null : name === 'label' ? seen.label : (seen.properties[name] ?? null);
    return {
      name,
      common: pick(commonSeen),
      current: pick(current),
      values,
      conflicting:
        new Set(values.map((v) => v.value)).size > 1 || versions.some((v) => v.conflictingProperties.includes(name)),
    };
  });

  return {
    entityId: row.id,
    list: row.list,
    label: current.label,
    version: row.version,
    conflict: row.conflict,
    updatedAt: row.updated_at,
    commonVersion,
    versions,
    properties,
  };
}

export interface Resolution {
  entityId: string;
  /** The version the supervisor looked at: a newer one makes the resolution stale. */
  version: number;
  /** Chosen values; a property not named keeps its current value. `label` sets the label. */
  values: Readonly<Record<string, string>>;
}

export type ResolveResult =
  { ok: true; entityId: string; version: number } | { ok: false; code: ProblemCode; detail: string; field?: string };

/**
 * Resolves a conflict: writes a new version with the chosen values, attributed to the supervisor,
 * and clears the flag, in one transaction that also audits the resolution (property names only).
 */
export async function resolveConflict(
  input: Resolution,
  reach: ProjectReach,
  actor: { userId: string; deviceId: string | null },
  at: string,
  store: Store,
): Promise<ResolveResult> {
  return store.transaction(async (tx): Promise<ResolveResult> => {
    // The same lock applyEntity takes, so a push cannot slip a version in between.
    await lockEntities([input.entityId], tx);
    const [row] = await listConflictedEntities(
      reach.projectId,
      reach.read,
      { limit: 1, offset: 0, entityId: input.entityId },
      tx,
    );
    if (row === undefined)
      return { ok: false, code: 'conflict.not-found', detail: 'No conflict on this case to resolve.' };
    if (row.version !== input.version) {
      return {
        ok: false,
        code: 'conflict.stale',
        detail: `The case is at version ${row.version}; you resolved version ${input.version}.`,
      };
    }
    const history = await attributedVersions(row.id, 1, tx);
    const known = new Set([
      'label',
      ...Object.keys(row.properties),
      ...history.flatMap((v) => Object.keys(v.data_received)),
    ]);
    const unknown = Object.keys(input.values).find((name) => !known.has(name));
    if (unknown !== undefined) {
      return {
        ok: false,
        code: 'request.invalid',
        detail: `The case has no property "${unknown}".`,
        field: `/values/${unknown}`,
      };
    }
    const { label, ...chosen } = input.values;
    const entity = await findEntity(row.id, tx);
    if (entity === undefined)
      return { ok: false, code: 'conflict.not-found', detail: 'No conflict on this case to resolve.' };
    const updated = await updateEntity(
      row.id,
      {
        properties: { ...entity.properties, ...chosen },
        ...(label === undefined ? {} : { label }),
        conflict: null,
        at,
      },
      tx,
    );
    if (updated === undefined) throw new Error(`entity ${row.id} vanished while being resolved`);
    await insertEntityVersion(
      {
        entity_id: updated.id,
        version: updated.version,
        label: updated.label,
        properties: JSON.stringify(updated.properties),
        data_received: JSON.stringify(input.values),
        base_version: entity.version,
        trunk_version: null,
        branch_id: null,
        branch_base_version: null,
        conflict: null,
        conflicting_properties: null,
        submission_id: null,
        created_by: actor.userId,
        created_at: at,
        source: 'resolved',
      },
      tx,
    );
    await appendAuditEvent(
      {
        actorId: actor.userId,
        action: 'entity.conflict-resolved',
        subject: updated.id,
        details: {
          projectId: reach.projectId,
          fromVersion: entity.version,
          version: updated.version,
          conflict: row.conflict,
          chosen: Object.keys(input.values).sort(),
          ...(actor.deviceId === null ? {} : { deviceId: actor.deviceId }),
        },
        at,
      },
      tx,
    );
    return { ok: true, entityId: updated.id, version: updated.version };
  });
}
