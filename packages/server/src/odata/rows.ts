import type { ModelNode, ODataModel, ODataTable } from './model.js';
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

function fill(nodes: readonly ModelNode[], element: Node, out: Row, link: string, wkt: boolean): void {
  for (const node of nodes) {
    const value = child(element, node.name);
    if (node.kind === 'value') out[node.name] = typed(node.edm, leafText(value), wkt);
    else if (node.kind === 'group') {
      const group: Row = {};
      fill(node.children, value, group, `${link}/${node.name}`, wkt);
      out[node.name] = group;
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
 * repeats as navigation links.
 */
export function tableRows(model: ODataModel, table: ODataTable, s: FeedSubmission, wkt: boolean): Row[] {
  return instancesOf(model, table, s).map((instance) => {
    const row: Row = { __id: instance.key };
    if (table.parent === null) row.__system = { ...s.system };
    else row[parentKeyName(table.parent)] = (instance as Instance & { parentKey: string }).parentKey;
    fill(table.children, instance.element, row, instance.link, wkt);
    return row;
  });
}

export type { Projection };
