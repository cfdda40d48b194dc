import type { FieldInfo, FormSummary } from '@outpost/core';

/**
 * A form as an OData service, the way ODK Central models it: the submissions are the table
 * `Submissions`; every repeat is its own table (`Submissions.household.members`) joined to its
 * parent by keys; groups are complex types nested in their table's rows.
 */

/** A question's value: its name in the row and its EDM type. */
export interface ValueNode {
  readonly kind: 'value';
  readonly name: string;
  /** `Edm.String`, `Edm.Int64`, `Edm.Decimal`, `Edm.Date`, `Edm.DateTimeOffset`, `Edm.Geography…`. */
  readonly edm: string;
}

/** A group: a complex type holding its questions, groups and repeats. */
export interface GroupNode {
  readonly kind: 'group';
  readonly name: string;
  /** The complex type's name, unique in the schema (`household__head`). */
  readonly typeName: string;
  readonly children: ModelNode[];
}

/** Where a repeat sits in its parent's row: a navigation property to the repeat's table. */
export interface RepeatNode {
  readonly kind: 'repeat';
  readonly name: string;
  readonly table: string;
}

export type ModelNode = ValueNode | GroupNode | RepeatNode;

export interface ODataTable {
  /** The entity set's name: `Submissions` or `Submissions.<steps to the repeat>`. */
  readonly name: string;
  /** The instance path of the table's element (`/data` or the repeat's path). */
  readonly path: string;
  /** The parent table's name; null for `Submissions`. */
  readonly parent: string | null;
  /** The steps from the parent table's element to this repeat (`household/members`). */
  readonly steps: readonly string[];
  readonly children: readonly ModelNode[];
}

export interface ODataModel {
  readonly formId: string;
  readonly tables: readonly ODataTable[];
  /** Each table's properties by path (`household/size`) with their EDM type, for queries. */
  readonly properties: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** The `__system` complex type's properties of the root table's rows. */
  readonly system: ReadonlyArray<readonly [string, string]>;
}

const SKIPPED = new Set(['note', 'trigger', 'begin_group', 'end_group', 'begin_repeat', 'end_repeat']);

/** EDM types as Central maps XForm types; everything else is a string. */
export function edmType(xformType: string): string {
  switch (xformType) {
    case 'integer':
    case 'int':
      return 'Edm.Int64';
    case 'decimal':
      return 'Edm.Decimal';
    case 'date':
      return 'Edm.Date';
    case 'dateTime':
    case 'start':
    case 'end':
      return 'Edm.DateTimeOffset';
    case 'geopoint':
      return 'Edm.GeographyPoint';
    case 'geotrace':
      return 'Edm.GeographyLineString';
    case 'geoshape':
      return 'Edm.GeographyPolygon';
    default:
      return 'Edm.String';
  }
}

function deepestRepeat(path: string, repeats: readonly string[]): string | null {
  let best: string | null = null;
  for (const repeat of repeats) {
    if (path.startsWith(`${repeat}/`) && (best === null || repeat.length > best.length)) best = repeat;
  }
  return best;
}

/** Puts a node at `steps` under `children`, creating the groups on the way. */
function place(children: ModelNode[], steps: readonly string[], node: ModelNode, typePrefix: string): void {
  const [first, ...rest] = steps;
  if (first === undefined) return;
  if (rest.length === 0) {
    if (!children.some((c) => c.name === node.name)) children.push(node);
    return;
  }
  let group = children.find((c): c is GroupNode => c.kind === 'group' && c.name === first);
  if (group === undefined) {
    group = { kind: 'group', name: first, typeName: `${typePrefix}${first}`, children: [] };
    children.push(group);
  }
  place(group.children, rest, node, `${group.typeName}__`);
}

function collectProperties(nodes: readonly ModelNode[], prefix: string, out: Map<string, string>): void {
  for (const node of nodes) {
    const path = `${prefix}${node.name}`;
    if (node.kind === 'value') out.set(path, node.edm);
    else if (node.kind === 'group') collectProperties(node.children, `${path}/`, out);
  }
}

/** The OData model of a form version from its field catalogue and its repeats' paths. */
export function odataModel(summary: FormSummary, repeatPaths: ReadonlySet<string>): ODataModel {
  const fields: readonly FieldInfo[] = summary.fields;
  const root = `/${fields[0]?.path.split('/')[1] ?? 'data'}`;
  const repeats = [...repeatPaths].sort();
  const tables: Array<ODataTable & { children: ModelNode[] }> = [
    { name: 'Submissions', path: root, parent: null, steps: [], children: [] },
  ];
  const byPath = new Map<string, ODataTable & { children: ModelNode[] }>([[root, tables[0] as never]]);
  for (const repeat of repeats) {
    const parent = byPath.get(deepestRepeat(repeat, repeats) ?? root);
    if (parent === undefined) continue;
    const steps = repeat.slice(parent.path.length + 1).split('/');
    const table = { name: `${parent.name}.${steps.join('.')}`, path: repeat, parent: parent.name, steps, children: [] };
    tables.push(table);
    byPath.set(repeat, table);
    place(parent.children, steps, { kind: 'repeat', name: steps.at(-1) ?? '', table: table.name }, '');
  }
  for (const field of fields) {
    const type = field.type.split(/\s+/)[0] ?? 'text';
    if (SKIPPED.has(type) || field.path.startsWith(`${root}/meta/`) || repeatPaths.has(field.path)) continue;
    const table = byPath.get(deepestRepeat(field.path, repeats) ?? root);
    if (table === undefined) continue;
    const steps = field.path.slice(table.path.length + 1).split('/');
    const prefix = table.parent === null ? '' : `${entityTypeName(table.name)}__`;
    place(table.children, steps, { kind: 'value', name: steps.at(-1) ?? field.name, edm: edmType(type) }, prefix);
  }
  const properties = new Map<string, Map<string, string>>();
  for (const table of tables) {
    const own = new Map<string, string>([['__id', 'Edm.String']]);
    if (table.parent === null) {
      for (const [name, edm] of SYSTEM_PROPERTIES) own.set(`__system/${name}`, edm);
    } else {
      own.set(parentKeyName(table.parent), 'Edm.String');
    }
    collectProperties(table.children, '', own);
    properties.set(table.name, own);
  }
  return { formId: summary.formId, tables, properties, system: SYSTEM_PROPERTIES };
}

/** The `__system` properties of a submission row, as Central names them. */
export const SYSTEM_PROPERTIES: ReadonlyArray<readonly [string, string]> = [
  ['submissionDate', 'Edm.DateTimeOffset'],
  ['submitterId', 'Edm.String'],
  ['submitterName', 'Edm.String'],
  ['deviceId', 'Edm.String'],
  ['formVersion', 'Edm.String'],
  ['edited', 'Edm.Boolean'],
];

/** The property of a repeat's row holding its parent row's key: `__Submissions-id`. */
export function parentKeyName(parentTable: string): string {
  return `__${parentTable.replace(/\./g, '-')}-id`;
}

/** A table's entity type name: a CSDL simple identifier (`Submissions__household__members`). */
export function entityTypeName(table: string): string {
  return table.replace(/\./g, '__');
}

/** The paths of a table's navigation properties (its repeats, `household/members` inside groups). */
export function navigationPaths(table: ODataTable): Set<string> {
  const out = new Set<string>();
  const visit = (nodes: readonly ModelNode[], at: string): void => {
    for (const node of nodes) {
      if (node.kind === 'repeat') out.add(`${at}${node.name}`);
      else if (node.kind === 'group') visit(node.children, `${at}${node.name}/`);
    }
  };
  visit(table.children, '');
  return out;
}
