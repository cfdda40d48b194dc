import type { Store } from '../store.js';
import type { PlacementFilter } from './sync.js';
import { placementSql } from './sync.js';
import { placedEntities } from './entities.js';
import { entityScopeColumns } from './scopeFilter.js';

export interface ConflictedEntityRow {
  id: string;
  list: string;
  label: string;
  properties: Record<string, string>;
  version: number;
  conflict: string;
  updated_at: string;
  area_path: string | null;
  team: string | null;
  assignee_id: string | null;
}

/** Live entities of a project with a conflict flag, placed by `filter`, most recently changed first. */
export async function listConflictedEntities(
  projectId: string,
  filter: PlacementFilter,
  page: { limit: number; offset: number; entityId?: string },
  store: Store,
): Promise<ConflictedEntityRow[]> {
  let query = placedEntities(store)
    .select([
      'entities.id',
      'entity_lists.name as list',
      'entities.label',
      'entities.properties',
      'entities.version',
      'entities.conflict',
      'entities.updated_at',
      'areas.path as area_path',
      'entities.team',
      'entities.assignee_id',
    ])
    .where('entity_lists.project_id', '=', projectId)
    .where('entities.deleted_at', 'is', null)
    .where('entities.conflict', 'is not', null)
    .where(placementSql(filter, entityScopeColumns));
  if (page.entityId !== undefined) query = query.where('entities.id', '=', page.entityId);
  const rows = await query
    .orderBy('entities.updated_at', 'desc')
    .orderBy('entities.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((r) => ({
    ...r,
    conflict: r.conflict ?? 'soft',
    area_path: r.area_path ?? null,
    version: Number(r.version),
    properties: JSON.parse(r.properties) as Record<string, string>,
  }));
}

export interface AttributedVersion {
  version: number;
  label: string;
  properties: Record<string, string>;
  data_received: Record<string, string>;
  base_version: number | null;
  conflict: string | null;
  conflicting_properties: string[] | null;
  submission_id: string | null;
  created_by: string | null;
  created_by_name: string | null;
  /** When the server stored it. */
  created_at: string;
  device_id: string | null;
  /** When it was made on the device: the form's `end` (or `start`) answer, if it has one. */
  made_at: string | null;
}

/** The versions of an entity from `fromVersion` on, with who made them, where and when. */
export async function attributedVersions(
  entityId: string,
  fromVersion: number,
  store: Store,
): Promise<AttributedVersion[]> {
  const rows = await store.db
    .selectFrom('entity_versions')
    .leftJoin('submissions', 'submissions.instance_id', 'entity_versions.submission_id')
    .leftJoin('users', 'users.id', 'entity_versions.created_by')
    .select([
      'entity_versions.version',
      'entity_versions.label',
      'entity_versions.properties',
      'entity_versions.data_received',
      'entity_versions.base_version',
      'entity_versions.conflict',
      'entity_versions.conflicting_properties',
      'entity_versions.submission_id',
      'entity_versions.created_by',
      'users.display_name as created_by_name',
      'entity_versions.created_at',
      'submissions.device_id',
      'submissions.data as submission_data',
    ])
    .where('entity_versions.entity_id', '=', entityId)
    .where('entity_versions.version', '>=', fromVersion)
    .orderBy('entity_versions.version')
    .execute();
  return rows.map((r) => ({
    version: Number(r.version),
    label: r.label,
    properties: JSON.parse(r.properties) as Record<string, string>,
    data_received: JSON.parse(r.data_received) as Record<string, string>,
    base_version: r.base_version === null ? null : Number(r.base_version),
    conflict: r.conflict,
    conflicting_properties:
      r.conflicting_properties === null ? null : (JSON.parse(r.conflicting_properties) as string[]),
    submission_id: r.submission_id,
    created_by: r.created_by,
    created_by_name: r.created_by_name ?? null,
    created_at: r.created_at,
    device_id: r.device_id ?? null,
    made_at: madeAt(r.submission_data ?? null),
  }));
}

/** When a submission was made on the device: its form's `end` (or `start`) answer, if any. */
export function madeAt(data: string | null): string | null {
  if (data === null) return null;
  const parsed = JSON.parse(data) as Record<string, unknown>;
  for (const key of ['end', 'start']) {
    const value = parsed[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}
