import type { PolicyRecord } from '@outpost/core';

/** The parts of a stored entity (with its list and project) the policy decides about. */
export interface EntityRecordRow {
  id: string;
  project_id: string;
  list_name: string;
  label: string;
  properties: Readonly<Record<string, unknown>>;
  team: string | null;
  assignee_id: string | null;
}

/**
 * Values an entity carries besides its label and properties, as they may leave the server:
 * each has a class in core's `carriedValueClasses` (an unknown one counts as sensitive).
 */
export type CarriedValues = Readonly<Record<string, unknown>>;

/**
 * An entity as a `PolicyRecord`, given its area's materialised path. Entities keep no creator
 * column (the `own` scope of an entity is its assignee), so `createdBy` is null.
 */
export function recordOf(
  entity: EntityRecordRow,
  areaPath: string | null,
  carried: CarriedValues = {},
): PolicyRecord & { kind: 'entity' } {
  return {
    ...carried,
    kind: 'entity',
    id: entity.id,
    projectId: entity.project_id,
    listName: entity.list_name,
    areaPath,
    team: entity.team,
    assigneeId: entity.assignee_id,
    createdBy: null,
    label: entity.label,
    properties: entity.properties,
  };
}
