import { randomUUID } from 'node:crypto';
import type { FieldInfo } from '@outpost/core';
import { formEntityLists, statusOf } from '@outpost/core';
import { formChoices } from '../forms/formChoices.js';
import { locateEntity } from '../entities/index.js';
import {
  appendAuditEvent,
  ensureEntityList,
  findEntity,
  insertEntity,
  listProjectFormVersions,
  updateEntity,
} from '../storage/index.js';
import type { StoredEntity, Store } from '../storage/index.js';
import { lockEntities } from '../storage/queries/locks.js';
import { insertEntityVersion } from '../storage/queries/submissions.js';
import { readCaseTable } from './readCaseTable.js';
import type { CaseTable, ImportProblem } from './readCaseTable.js';

export interface ImportInput {
  readonly projectId: string;
  readonly listName: string;
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly actorId: string | null;
  readonly at?: string;
  /** Check every row and count what would change, writing nothing (the web screen's first step). */
  readonly dryRun?: boolean;
}

export type ImportResult =
  { ok: true; created: number; updated: number; dryRun: boolean } | { ok: false; problems: ImportProblem[] };

/** What one property of the list accepts, from the form that saves it. */
interface PropertyRule {
  readonly type: string;
  readonly choices: ReadonlySet<string> | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Most problems listed for one file: enough to fix a pattern, not a wall. */
const MAX_PROBLEMS = 200;

/** The properties the published forms save to `listName`, each with its question's type and choices. */
async function propertyRules(projectId: string, listName: string, store: Store): Promise<Map<string, PropertyRule>> {
  const rules = new Map<string, PropertyRule>();
  for (const version of await listProjectFormVersions(projectId, store)) {
    const list = formEntityLists(version.summary).find((l) => l.dataset === listName);
    if (list === undefined) continue;
    const choices = formChoices(version.xform);
    const byPath = new Map<string, FieldInfo>(version.summary.fields.map((f) => [f.path, f]));
    for (const { property, path } of list.properties) {
      if (rules.has(property)) continue;
      const field = byPath.get(path);
      rules.set(property, { type: field?.type.split(/\s+/)[0] ?? 'text', choices: choices.get(path) ?? null });
    }
  }
  return rules;
}

type ValueProblem = { message: string; expected: NonNullable<ImportProblem['expected']> };

function checkValue(value: string, rule: PropertyRule): ValueProblem | null {
  if (value === '') return null;
  switch (rule.type) {
    case 'integer':
      return /^-?\d{1,15}$/.test(value) ? null : { message: `"${value}" is not a whole number`, expected: 'integer' };
    case 'decimal':
      return /^-?\d{1,15}(\.\d+)?$/.test(value) ? null : { message: `"${value}" is not a number`, expected: 'decimal' };
    case 'date': {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      // An impossible date (month 13) is NaN, and toISOString() would throw on it.
      const time = match === null ? Number.NaN : Date.parse(`${value}T00:00:00Z`);
      const valid = !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
      return valid ? null : { message: `"${value}" is not a date written YYYY-MM-DD`, expected: 'date' };
    }
    case 'select_one':
      return rule.choices === null || rule.choices.has(value)
        ? null
        : { message: `"${value}" is not one of the choices`, expected: 'choice' };
    case 'select_multiple': {
      if (rule.choices === null) return null;
      const unknown = value.split(/\s+/).filter((v) => !rule.choices?.has(v));
      return unknown.length === 0
        ? null
        : { message: `${unknown.map((v) => `"${v}"`).join(', ')} not among the choices`, expected: 'choice' };
    }
    default:
      return null;
  }
}

interface PlannedRow {
  readonly rowNumber: number;
  readonly id: string | null;
  readonly label: string;
  readonly properties: Record<string, string>;
}

/** Every problem of the table against the list's properties; the rows to write when there are none. */
async function plan(
  table: CaseTable,
  rules: Map<string, PropertyRule>,
  listId: string,
  store: Store,
): Promise<{ rows: PlannedRow[]; problems: ImportProblem[] }> {
  const problems: ImportProblem[] = [];
  const where = (name: string): string => {
    const header = table.headers.find((h) => h.name === name);
    return `"${name}" (${header?.column ?? '?'})`;
  };
  if (!table.headers.some((h) => h.name === 'label')) {
    problems.push({ code: 'import.label-missing', row: 1, column: null, message: 'a "label" column is required' });
  }
  for (const { name } of table.headers) {
    if (name === 'label' || name === '__id' || rules.has(name)) continue;
    problems.push({
      code: 'import.unknown-property',
      row: 1,
      column: where(name),
      message: `"${name}" is not a property of this list (the published forms save ${[...rules.keys()].join(', ')})`,
    });
  }
  const rows: PlannedRow[] = [];
  const ids = new Set<string>();
  for (const row of table.rows) {
    if (problems.length >= MAX_PROBLEMS) break;
    const label = row.values.get('label') ?? '';
    if (label === '' && table.headers.some((h) => h.name === 'label')) {
      problems.push({
        code: 'import.label-blank',
        row: row.rowNumber,
        column: where('label'),
        message: 'the label is empty',
      });
    }
    const id = (row.values.get('__id') ?? '').toLowerCase() || null;
    if (id !== null) {
      const existing = UUID.test(id) ? await findEntity(id, store) : undefined;
      if (!UUID.test(id)) {
        problems.push({
          code: 'import.bad-id',
          row: row.rowNumber,
          column: where('__id'),
          message: `"${id}" is not a case id`,
        });
      } else if (existing === undefined || existing.list_id !== listId || existing.deleted_at !== null) {
        problems.push({
          code: 'import.unknown-id',
          row: row.rowNumber,
          column: where('__id'),
          message: `no case ${id} in this list`,
        });
      } else if (ids.has(id)) {
        problems.push({
          code: 'import.duplicate-id',
          row: row.rowNumber,
          column: where('__id'),
          message: `case ${id} appears twice`,
        });
      }
      ids.add(id);
    }
    const properties: Record<string, string> = {};
    for (const [name, value] of row.values) {
      const rule = rules.get(name);
      if (rule === undefined) continue;
      const problem = checkValue(value, rule);
      if (problem !== null)
        problems.push({ code: 'import.bad-value', row: row.rowNumber, column: where(name), ...problem });
      if (value !== '') properties[name] = value;
    }
    rows.push({ rowNumber: row.rowNumber, id, label, properties });
  }
  return { rows, problems: problems.slice(0, MAX_PROBLEMS) };
}

async function write(
  row: PlannedRow,
  listId: string,
  input: ImportInput,
  at: string,
  tx: Store,
): Promise<'created' | 'updated'> {
  if (row.id === null) {
    const created = await insertEntity(
      {
        id: randomUUID(),
        listId,
        label: row.label,
        properties: row.properties,
        areaId: await locateEntity(input.projectId, row.properties, tx),
        // The list's status follows the properties on every path (docs/entities.md).
        status: statusOf(row.properties) ?? 'open',
        version: 1,
        at,
      },
      tx,
    );
    await insertEntityVersion(versionRow(created, row, input.actorId, at), tx);
    return 'created';
  }
  const current = await findEntity(row.id, tx);
  if (current === undefined) throw new Error(`case ${row.id} vanished during the import`);
  // A blank cell leaves the property as it was: an import never erases what was recorded.
  const properties = { ...current.properties, ...row.properties };
  const areaId = await locateEntity(input.projectId, properties, tx);
  const status = statusOf(row.properties);
  const updated = await updateEntity(
    row.id,
    {
      label: row.label,
      properties,
      ...(areaId === current.area_id ? {} : { areaId }),
      ...(status === null ? {} : { status }),
      at,
    },
    tx,
  );
  if (updated === undefined) throw new Error(`case ${row.id} vanished during the import`);
  await insertEntityVersion(versionRow(updated, row, input.actorId, at), tx);
  return 'updated';
}

function versionRow(entity: StoredEntity, row: PlannedRow, actorId: string | null, at: string) {
  return {
    entity_id: entity.id,
    version: entity.version,
    label: entity.label,
    properties: JSON.stringify(entity.properties),
    data_received: JSON.stringify({ label: row.label, ...row.properties }),
    base_version: null,
    trunk_version: null,
    branch_id: null,
    branch_base_version: null,
    conflict: null,
    conflicting_properties: null,
    submission_id: null,
    created_by: actorId,
    created_at: at,
    source: 'import',
  };
}

/**
 * Imports an existing register (CSV or .xlsx) into a project's entity list, as ODK Central's
 * entity CSV upload does: the header names the list's properties, `label` is required, an
 * optional `__id` updates that case. Every row is checked against the published forms (types,
 * choices, area codes) first; a file with any problem is refused whole, with each problem's row
 * and column, and nothing is written. A blank cell leaves an updated case's property unchanged.
 */
export async function importCases(input: ImportInput, store: Store): Promise<ImportResult> {
  const read = await readCaseTable(input.fileName, input.bytes);
  if (!read.ok) return read;
  const rules = await propertyRules(input.projectId, input.listName, store);
  if (rules.size === 0) {
    return {
      ok: false,
      problems: [
        {
          code: 'import.unknown-list',
          row: null,
          column: null,
          message: `no published form of this project saves cases to the list "${input.listName}"`,
        },
      ],
    };
  }
  const at = input.at ?? new Date().toISOString();
  if (input.dryRun === true) {
    // The same check as the import, in a transaction undone whatever it found: nothing is written.
    const checked = await store
      .transaction(async (tx) => {
        const list = await ensureEntityList(input.projectId, input.listName, tx);
        throw new DryRunDone(await plan(read.table, rules, list.id, tx));
      })
      .catch((outcome: unknown) => {
        if (outcome instanceof DryRunDone) return outcome.planned;
        throw outcome;
      });
    if (checked.problems.length > 0) return { ok: false, problems: checked.problems };
    const updated = checked.rows.filter((r) => r.id !== null).length;
    return { ok: true, created: checked.rows.length - updated, updated, dryRun: true };
  }
  return store.transaction(async (tx) => {
    // The cases it updates are locked first, in the one order every writer of cases follows (a
    // push or an edit of the same case waits for the import instead of interleaving with it).
    await lockEntities(updatedIds(read.table), tx);
    const list = await ensureEntityList(input.projectId, input.listName, tx);
    const { rows, problems } = await plan(read.table, rules, list.id, tx);
    if (problems.length > 0) return { ok: false, problems };
    let created = 0;
    let updated = 0;
    for (const row of rows) {
      if ((await write(row, list.id, input, at, tx)) === 'created') created++;
      else updated++;
    }
    await appendAuditEvent(
      {
        actorId: input.actorId,
        action: 'cases.import',
        subject: list.id,
        details: { project: input.projectId, list: input.listName, created, updated },
        at,
      },
      tx,
    );
    return { ok: true, created, updated, dryRun: false };
  });
}

/** The case ids the rows name in `__id` (the cases the import would update). */
function updatedIds(table: CaseTable): string[] {
  return table.rows.flatMap((row) => {
    const id = (row.values.get('__id') ?? '').toLowerCase();
    return id === '' ? [] : [id];
  });
}

/** Thrown to undo a dry run's transaction, carrying what it found. */
class DryRunDone extends Error {
  constructor(readonly planned: { rows: PlannedRow[]; problems: ImportProblem[] }) {
    super('dry run');
  }
}
