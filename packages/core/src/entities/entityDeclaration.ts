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
  return readBlock(entity, `/${root.localName}/meta/entity`, spec, (path) => findAtPath(root, path));
}

export type ReadEntityDeclarationsResult =
  { ok: true; declarations: EntityDeclaration[] } | { ok: false; field: string; detail: string };

/**
 * Every entity list a form writes to: `entities` (the first) and the rest of `entityLists`; forms
 * stored before several lists existed have only `entities`.
 */
export function formEntityLists(form: {
  entities?: EntitiesSpec | null;
  entityLists?: readonly EntitiesSpec[];
}): EntitiesSpec[] {
  const first = form.entities ?? null;
  const rest = (form.entityLists ?? []).filter((list) => list.dataset !== first?.dataset);
  return first === null ? rest : [first, ...rest];
}

/**
 * Every entity change an instance declares (entities spec 2025.1.0), in document order per list:
 * the survey's `meta/entity`, and for a list made in a repeat the `meta/entity` of each instance
 * of that repeat, with the properties answered in that instance. An instance makes as many
 * changes as it has blocks that create or update; an error names the block at fault by position
 * (`/data/member[2]/meta/entity/@id`).
 */
export function readEntityDeclarations(root: XmlNode, specs: readonly EntitiesSpec[]): ReadEntityDeclarationsResult {
  const declarations: EntityDeclaration[] = [];
  for (const spec of specs) {
    if (spec.repeat === undefined || spec.repeat === null) {
      const read = readEntityDeclaration(root, spec);
      if (!read.ok) return read;
      if (read.declaration !== null) declarations.push(read.declaration);
      continue;
    }
    for (const { node, path } of repeatInstances(root, spec.repeat)) {
      const meta = elementChildren(node).find((c) => c.localName === 'meta');
      const entity = meta === undefined ? undefined : elementChildren(meta).find((c) => c.localName === 'entity');
      if (entity === undefined) continue;
      const repeatPath = spec.repeat;
      const read = readBlock(entity, `${path}/meta/entity`, spec, (property) =>
        property.startsWith(`${repeatPath}/`)
          ? findAtPath(node, `${node.localName}/${property.slice(repeatPath.length + 1)}`)
          : undefined,
      );
      if (!read.ok) return read;
      if (read.declaration !== null) declarations.push(read.declaration);
    }
  }
  return { ok: true, declarations };
}

/** The instances of the repeat at `path` (an absolute path of names), with their positional paths. */
function repeatInstances(root: XmlNode, path: string): Array<{ node: XmlNode; path: string }> {
  const steps = path.split('/').filter((s) => s !== '');
  if (steps[0] !== root.localName) return [];
  let level: Array<{ node: XmlNode; path: string }> = [{ node: root, path: `/${root.localName}` }];
  for (const step of steps.slice(1)) {
    level = level.flatMap(({ node, path: at }) => {
      const matches = elementChildren(node).filter((c) => c.localName === step);
      return matches.map((child, i) => ({
        node: child,
        path: matches.length > 1 ? `${at}/${step}[${i + 1}]` : `${at}/${step}`,
      }));
    });
  }
  return level;
}

function readBlock(
  entity: XmlNode,
  blockPath: string,
  spec: EntitiesSpec,
  answer: (path: string) => XmlNode | undefined,
): ReadEntityDeclarationResult {
  const create = flag(attribute(entity, 'create'));
  const update = flag(attribute(entity, 'update'));
  if (!create && !update) return { ok: true, declaration: null };
  const at = (name: string) => `${blockPath}/@${name}`;
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
    const node = answer(path);
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

/** A `meta/entity` element of an instance and where it sits. */
export interface EntityBlock {
  entity: XmlNode;
  /** Positional path of the element, e.g. `/data/member[2]/meta/entity`. */
  path: string;
  /** The survey root, group or repeat instance whose `meta` holds it. */
  container: XmlNode;
  /** The container's path of names without positions, e.g. `/data/member`: what binds name. */
  scope: string;
}

/** Every `meta/entity` element of an instance, in document order: the survey's and those in repeat instances or groups. */
export function entityBlocks(root: XmlNode): EntityBlock[] {
  const out: EntityBlock[] = [];
  const visit = (node: XmlNode, path: string, scope: string): void => {
    const children = elementChildren(node);
    for (const child of children) {
      const same = children.filter((c) => c.localName === child.localName);
      const childPath =
        same.length > 1 ? `${path}/${child.localName}[${same.indexOf(child) + 1}]` : `${path}/${child.localName}`;
      if (child.localName === 'meta') {
        for (const entity of elementChildren(child).filter((c) => c.localName === 'entity'))
          out.push({ entity, path: `${childPath}/entity`, container: node, scope });
      } else visit(child, childPath, `${scope}/${child.localName}`);
    }
  };
  visit(root, `/${root.localName}`, `/${root.localName}`);
  return out;
}

/**
 * The `save_to` properties of a block, given the XForm's binds (`entities:saveto` by nodeset): a
 * property belongs to the block of the nearest container on its path that has one (entities spec
 * 2025.1.0), and is read in the block's own container (its repeat instance).
 */
export function blockProperties(
  block: EntityBlock,
  scopes: readonly string[],
  saveTo: ReadonlyArray<{ nodeset: string; property: string }>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { nodeset, property } of saveTo) {
    const owner = scopes.filter((scope) => nodeset.startsWith(`${scope}/`)).sort((a, b) => b.length - a.length)[0];
    if (owner !== block.scope) continue;
    const rest = nodeset.slice(owner.length + 1);
    const node = findAtPath(block.container, `${block.container.localName}/${rest}`);
    if (node !== undefined) out[property] = ownText(node);
  }
  return out;
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
  | 'entity.merged'
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
