import type { ModelNode, ODataModel, ODataTable, RepeatNode } from './model.js';
import { parentKeyName } from './model.js';
import type { Row } from './query.js';

type Projection = { [key: string]: string | Projection | Array<string | Projection> };
type Node = string | Projection | Array<string | Projection> | undefined;

/** A submission as the feed reads it: its data already redacted for the reader. */
export interface FeedSubmission {
  readonly instanceId: string;
  readonly projection: Projection;
  readonly system: {
    readonly submissionDate: string;
    readonly submitterId: string | null;
    readonly submitterName: string | null;
    readonly deviceId: string | null;
    readonly formVersion: string;
    readonly edited: boolean;
  };
}

function leafText(node: Node): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return leafText(node[0]);
  const text = node['#text'];
  return typeof text === 'string' ? text : '';
}

function child(node: Node, name: string): Node {
  if (node === undefined || typeof node === 'string') return undefined;
  const value = Array.isArray(node) ? node[0] : node;
  if (value === undefined || typeof value === 'string') return undefined;
  return value[name];
}

function items(node: Node): Array<string | Projection> {
  if (node === undefined) return [];
  return Array.isArray(node) ? node : [node];
}

/** `lat lon alt acc; …` as positions, longitude first, altitude kept when there is one. */
function positions(text: string): number[][] {
  return text
    .split(';')
    .map((p) => p.trim().split(/\s+/).map(Number))
    .filter((p) => p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]))
    .map((p) => (p.length >= 3 && Number.isFinite(p[2]) ? [p[1] ?? 0, p[0] ?? 0, p[2] ?? 0] : [p[1] ?? 0, p[0] ?? 0]));
}

function geography(edm: string, text: string, wkt: boolean): unknown {
  const coords = positions(text);
  if (coords.length === 0) return null;
  const pair = (c: number[]) => c.join(' ');
  if (edm === 'Edm.GeographyPoint') {
    const point = coords[0] ?? [];
    return wkt ? `POINT (${pair(point)})` : { type: 'Point', coordinates: point };
  }
  if (edm === 'Edm.GeographyLineString') {
    return wkt ? `LINESTRING (${coords.map(pair).join(', ')})` : { type: 'LineString', coordinates: coords };
  }
  return wkt ? `POLYGON ((${coords.map(pair).join(', ')}))` : { type: 'Polygon', coordinates: [coords] };
}

/** A value as its EDM type sends it in JSON: numbers as numbers, places as GeoJSON, blanks as null. */
function typed(edm: string, text: string, wkt: boolean): unknown {
  if (text === '') return null;
  if (edm === 'Edm.Int64' || edm === 'Edm.Decimal') {
    const n = Number(text);
    return Number.isFinite(n) ? n : null;
  }
  if (edm.startsWith('Edm.Geography')) return geography(edm, text, wkt);
  return text;
}

const keyLiteral = (key: string): string => `('${encodeURIComponent(key.replace(/'/g, "''"))}')`;

/**
 * Which repeats to send inline (`$expand`): `*` all of them at every depth, or the paths of some
 * of the table's own navigation properties (`members`, `household/members`); null for none.
 */
export type Expand = '*' | ReadonlySet<string> | null;

interface Filling {
  readonly model: ODataModel;
  /** The table whose row is being filled and the key of that row, for expanded rows' keys. */
  readonly table: ODataTable;
  readonly key: string;
  readonly expand: Expand;
  readonly wkt: boolean;
}

function expands(expand: Expand, path: string): boolean {
  return expand === '*' || (expand !== null && expand.has(path));
}

/** A repeat's instances as the rows of its table, inline (`$expand`), with their own repeats expanded under `*`. */
function expandedRows(node: RepeatNode, element: Node, link: string, f: Filling): Row[] {
  const table = f.model.tables.find((t) => t.name === node.table);
  if (table === undefined) return [];
  const list = element === undefined || typeof element === 'string' ? [] : items(element);
  return list.map((instance, index) => {
    const key = `${f.key}/${table.steps.join('/')}[${index + 1}]`;
    const row: Row = { __id: key, [parentKeyName(f.table.name)]: f.key };
    fill(table.children, instance, row, `${link}/${node.name}${keyLiteral(key)}`, '', {
      ...f,
      table,
      key,
      expand: f.expand === '*' ? '*' : null,
    });
    return row;
  });
}

function fill(nodes: readonly ModelNode[], element: Node, out: Row, link: string, at: string, f: Filling): void {
  for (const node of nodes) {
    const value = child(element, node.name);
    const path = `${at}${node.name}`;
    if (node.kind === 'value') out[node.name] = typed(node.edm, leafText(value), f.wkt);
    else if (node.kind === 'group') {
      const group: Row = {};
      fill(node.children, value, group, `${link}/${node.name}`, `${path}/`, f);
      out[node.name] = group;
    } else if (expands(f.expand, path)) {
      // The repeat's element list: `child` would take only its first instance.
      const holder =
        element === undefined || typeof element === 'string'
          ? undefined
          : Array.isArray(element)
            ? element[0]
            : element;
      const list = holder === undefined || typeof holder === 'string' ? undefined : holder[node.name];
      out[node.name] = expandedRows(node, list, link, f);
    } else out[`${node.name}@odata.navigationLink`] = `${link}/${node.name}`;
  }
}

interface Instance {
  readonly key: string;
  readonly element: Node;
  /** The navigation link of this row, from `Submissions(…)`. */
  readonly link: string;
}

function instancesOf(model: ODataModel, table: ODataTable, s: FeedSubmission): Instance[] {
  if (table.parent === null) {
    return [{ key: s.instanceId, element: s.projection, link: `Submissions${keyLiteral(s.instanceId)}` }];
  }
  const parent = model.tables.find((t) => t.name === table.parent);
  if (parent === undefined) return [];
  return instancesOf(model, parent, s).flatMap((p) => {
    let node: Node = p.element;
    for (const step of table.steps.slice(0, -1)) node = child(node, step);
    const last = table.steps.at(-1) ?? '';
    const list = node === undefined || typeof node === 'string' || Array.isArray(node) ? [] : items(node[last]);
    return list.map((element, index) => {
      // Central-style keys: stable per submission and repeat position.
      const key = `${p.key}/${table.steps.join('/')}[${index + 1}]`;
      return { key, element, link: `${p.link}/${table.steps.join('/')}${keyLiteral(key)}`, parentKey: p.key };
    });
  });
}

/**
 * The rows one submission gives a table: one for `Submissions` (with `__system`), one per repeat
 * instance for a repeat's table (with its parent row's key), values typed, groups nested and
 * repeats as navigation links, or inline as arrays of their table's rows where `expand` says so.
 */
export function tableRows(
  model: ODataModel,
  table: ODataTable,
  s: FeedSubmission,
  wkt: boolean,
  expand: Expand = null,
): Row[] {
  return instancesOf(model, table, s).map((instance) => {
    const row: Row = { __id: instance.key };
    if (table.parent === null) row.__system = { ...s.system };
    else row[parentKeyName(table.parent)] = (instance as Instance & { parentKey: string }).parentKey;
    fill(table.children, instance.element, row, instance.link, '', {
      model,
      table,
      key: instance.key,
      expand,
      wkt,
    });
    return row;
  });
}

export type { Projection };
