import type { EntitiesSpec } from '../xlsform/index.js';
import type { XmlNode } from '../xml/index.js';
import { attribute, elementChildren, findAtPath, ownText } from '../xml/index.js';

/**
 * Why an entity change was kept aside rather than applied. The submission itself is stored; held
 * changes are tried again when what they wait for arrives, and forced after a timeout.
 */
export type HoldReason =
  | 'entity-not-found'
  | 'entity-exists'
  | 'label-missing'
  | 'base-version-missing'
  | 'base-version-not-found'
  | 'trunk-version-not-found';

/** The entity block of an instance (ODK entities spec 2024.1), read but not yet applied. */
export interface EntityDeclaration {
  dataset: string;
  entityId: string;
  create: boolean;
  update: boolean;
  baseVersion: number | null;
  trunkVersion: number | null;
  branchId: string | null;
  label: string | null;
  /** The `save_to` properties the instance carries (absent elements are left out). */
  properties: Record<string, string>;
}

export type ReadEntityDeclarationResult =
  { ok: true; declaration: EntityDeclaration | null } | { ok: false; field: string; detail: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function flag(value: string | null): boolean {
  return value === '1' || value === 'true';
}

function whole(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  return /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
}

/** The `meta/entity` element of an instance, if it has one. */
export function entityBlock(root: XmlNode): XmlNode | undefined {
  const meta = elementChildren(root).find((c) => c.localName === 'meta');
  return meta === undefined ? undefined : elementChildren(meta).find((c) => c.localName === 'entity');
}

/** The entity id as the server keys it: without `uuid:`, lower case. */
export function normalEntityId(raw: string | null): string {
  return (raw ?? '')
    .trim()
    .replace(/^uuid:/i, '')
    .toLowerCase();
}

/**
 * Reads `meta/entity`. Null when the instance makes no entity change; an error (with the path of
 * the attribute at fault) when the block is malformed.
 */
export function readEntityDeclaration(root: XmlNode, spec: EntitiesSpec): ReadEntityDeclarationResult {
  const entity = entityBlock(root);
  if (entity === undefined) return { ok: true, declaration: null };
  const create = flag(attribute(entity, 'create'));
  const update = flag(attribute(entity, 'update'));
  if (!create && !update) return { ok: true, declaration: null };
  const at = (name: string) => `/${root.localName}/meta/entity/@${name}`;
  const dataset = attribute(entity, 'dataset') ?? '';
  if (dataset !== spec.dataset) {
    return {
      ok: false,
      field: at('dataset'),
      detail: `The entity list "${dataset}" is not the form's "${spec.dataset}".`,
    };
  }
  const entityId = normalEntityId(attribute(entity, 'id'));
  if (!UUID.test(entityId)) return { ok: false, field: at('id'), detail: 'The entity id is not a UUID.' };
  const baseVersion = whole(attribute(entity, 'baseVersion'));
  const trunkVersion = whole(attribute(entity, 'trunkVersion'));
  for (const [name, value] of [
    ['baseVersion', baseVersion],
    ['trunkVersion', trunkVersion],
  ] as const) {
    if (Number.isNaN(value)) return { ok: false, field: at(name), detail: `The entity ${name} is not a whole number.` };
  }
  const branchId = (attribute(entity, 'branchId') ?? '').trim();
  const labelNode = elementChildren(entity).find((c) => c.localName === 'label');
  const label = labelNode === undefined ? '' : ownText(labelNode);
  const properties: Record<string, string> = {};
  for (const { property, path } of spec.properties) {
    const node = findAtPath(root, path);
    if (node !== undefined) properties[property] = ownText(node);
  }
  return {
    ok: true,
    declaration: {
      dataset,
      entityId,
      create,
      update,
      baseVersion,
      trunkVersion,
      branchId: branchId === '' ? null : branchId,
      label: label === '' ? null : label,
      properties,
    },
  };
}

/**
 * What ODK Central refuses outright in a submission's entity change (`entity.error` there):
 * nothing of the submission is stored here, and the device shows the reason in "Not sent".
 */
export type EntityRefusalCode =
  | 'entity.not-found'
  | 'entity.version-not-found'
  | 'entity.base-version-missing'
  | 'entity.label-missing'
  | 'entity.exists'
  | 'entity.deleted'
  | 'entity.action-not-permitted';

export interface EntityRefusal {
  code: EntityRefusalCode;
  detail: string;
  /** The instance path of the attribute or element at fault, when there is one. */
  field?: string;
}

/**
 * The entity actions a form may take (ODK Central's `dataset_form_defs.actions`): a form without
 * `entity_id` only creates; one with `entity_id` updates, and also creates when it has `create_if`
 * (see core/xlsform/entities.ts, which emits the `create`/`update` attributes the same way).
 */
export function formEntityActions(spec: Pick<EntitiesSpec, 'entityId' | 'createIf'>): {
  create: boolean;
  update: boolean;
} {
  return { create: spec.entityId === null || spec.createIf !== null, update: spec.entityId !== null };
}

/** The action a declaration takes that its form does not permit, as Central refuses it; null when none. */
export function unpermittedAction(
  declaration: Pick<EntityDeclaration, 'create' | 'update'>,
  spec: Pick<EntitiesSpec, 'entityId' | 'createIf'>,
  rootName: string,
): EntityRefusal | null {
  const permitted = formEntityActions(spec);
  for (const action of ['create', 'update'] as const) {
    if (declaration[action] && !permitted[action]) {
      const may = permitted.create ? 'only creates cases' : 'only updates cases';
      return {
        code: 'entity.action-not-permitted',
        detail: `The submission asks to ${action} a case, but this form ${may}.`,
        field: `/${rootName}/meta/entity/@${action}`,
      };
    }
  }
  return null;
}
