import type { ExportedSubmission } from '../storage/queries/exports.js';
import type { ExportColumn, ExportTable } from './exportShape.js';

type Projection = { [key: string]: string | Projection | Array<string | Projection> };
type Node = string | Projection | Array<string | Projection> | undefined;

/** One row of one export table: its values in column order plus the keys that join tables. */
export interface ExportRow {
  readonly table: string;
  readonly key: string;
  readonly parentKey: string | null;
  readonly values: readonly string[];
}

function step(node: Node, name: string): Node {
  if (node === undefined || typeof node === 'string') return undefined;
  const value = Array.isArray(node) ? node[0] : node;
  if (value === undefined || typeof value === 'string') return undefined;
  return value[name];
}

function leafText(node: Node): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return leafText(node[0]);
  const text = node['#text'];
  return typeof text === 'string' ? text : '';
}

function cell(element: Node, column: ExportColumn): string {
  let node = element;
  for (const name of column.steps) node = step(node, name);
  const text = leafText(node);
  if (column.choices !== undefined) return choiceText(text, column.type, column.choices);
  if (column.part === undefined) return text;
  return text.trim().split(/\s+/)[column.part] ?? '';
}

/** A select's answer as its choice labels: one, or several joined by "; " (select_multiple). */
function choiceText(text: string, type: string, choices: Readonly<Record<string, string>>): string {
  if (text === '') return '';
  const values = type === 'select_multiple' ? text.trim().split(/\s+/) : [text.trim()];
  return values.map((v) => choices[v] ?? v).join('; ');
}

function items(node: Node): Array<string | Projection> {
  if (node === undefined) return [];
  return Array.isArray(node) ? node : [node];
}

/**
 * The rows a submission gives each table: one root row keyed by the instance ID, and one row per
 * repeat instance keyed as ODK Central keys them (`uuid:…/members[2]`), with its parent's key.
 */
export function submissionRows(data: Projection, instanceId: string, tables: readonly ExportTable[]): ExportRow[] {
  const root = tables[0];
  if (root === undefined) return [];
  const rows: ExportRow[] = [
    { table: root.name, key: instanceId, parentKey: null, values: root.columns.map((c) => cell(data, c)) },
  ];
  const walk = (table: ExportTable, element: Node, key: string): void => {
    for (const child of tables) {
      if (child.parent !== table.path) continue;
      let node: Node = element;
      const steps = child.path.slice(table.path.length + 1).split('/');
      for (const name of steps.slice(0, -1)) node = step(node, name);
      const last = steps.at(-1) ?? '';
      const list = node === undefined || typeof node === 'string' || Array.isArray(node) ? [] : items(node[last]);
      list.forEach((instance, index) => {
        const childKey = `${key}/${steps.join('/')}[${index + 1}]`;
        rows.push({
          table: child.name,
          key: childKey,
          parentKey: key,
          values: child.columns.map((c) => cell(instance, c)),
        });
        walk(child, instance, childKey);
      });
    }
  };
  walk(root, data, instanceId);
  return rows;
}

/** The text at an absolute instance path (`/data/species`) of a submission's projection; '' if none. */
export function valueAt(data: Projection, path: string | null): string {
  if (path === null) return '';
  let node: Node = data;
  for (const name of path.split('/').slice(2)) node = step(node, name);
  return leafText(node);
}

const SYSTEM_BEFORE = ['SubmissionDate'];
const SYSTEM_AFTER = ['meta-instanceID', 'KEY', 'SubmitterID', 'SubmitterName', 'DeviceID', 'FormVersion'];

/** A table's header as ODK Central writes it: system columns around the root's, keys after a repeat's. */
export function headerOf(table: ExportTable): string[] {
  const fields = table.columns.map((c) => c.header);
  return table.parent === null ? [...SYSTEM_BEFORE, ...fields, ...SYSTEM_AFTER] : [...fields, 'PARENT_KEY', 'KEY'];
}

/** A row's cells in header order. */
export function rowCells(row: ExportRow, table: ExportTable, s: ExportedSubmission): string[] {
  if (table.parent !== null) return [...row.values, row.parentKey ?? '', row.key];
  const meta = [s.instanceId, s.instanceId, s.userId ?? '', s.username ?? '', s.deviceId ?? '', s.version];
  return [s.receivedAt, ...row.values, ...meta];
}

export type { Projection };
