/**
 * Where each entity list's `<meta><entity>` block goes (entities spec 2025.1.0) and which list each
 * `save_to` belongs to, decided before anything is emitted. As pyxform: a list's block goes into
 * the deepest repeat its references (`save_to` questions, `${}` in the entities sheet) reach, or
 * the survey's meta when none is in a repeat; with more than one list every `save_to` names its
 * list (`list#property`). pyxform can also place a second list in a group's meta; Outpost does not
 * run blocks in groups yet and says so.
 */
import { issue } from './issues.js';
import { REF, XML_NAME, type Ctx, type SurveyNode } from './model.js';
import { chain, pathOf, repeatAncestor, rowCell } from './references.js';
import type { Cell, SheetRow, SheetTable } from './sheetTable.js';

/** One row of the entities sheet and the survey container its block is placed in. */
export interface EntityDecl {
  row: SheetRow;
  dataset: string;
  /** The root (the survey's own meta) or a repeat (a meta in each of its instances). */
  container: SurveyNode;
  /** The `save_to` questions of this list, in survey order. */
  properties: Array<{ property: string; node: SurveyNode }>;
}

export interface EntityPlan {
  decls: EntityDecl[];
  byContainer: Map<SurveyNode, EntityDecl>;
  /** Each `save_to` question: its list and property name (without the `list#` prefix). */
  saveTo: Map<SurveyNode, { decl: EntityDecl; property: string }>;
}

export const ENTITY_COLUMNS = new Set(['list_name', 'label', 'entity_id', 'create_if', 'update_if']);
const EXPRESSION_COLUMNS = ['label', 'entity_id', 'create_if', 'update_if'];

export function emptyPlan(): EntityPlan {
  return { decls: [], byContainer: new Map(), saveTo: new Map() };
}

export function planEntities(ctx: Ctx, table: SheetTable | null): EntityPlan {
  const plan = emptyPlan();
  const rows = table === null ? [] : table.rows.filter((r) => r.cells.size > 0);
  if (table !== null && !checkEntitiesSheet(ctx, table)) return plan;
  const sheet = table?.name ?? 'entities';
  const refs = new Map<EntityDecl, SurveyNode[]>();
  for (const row of rows) {
    const dataset = listName(ctx, sheet, row);
    if (dataset === null) continue;
    if (plan.decls.some((d) => d.dataset === dataset)) {
      report(
        ctx,
        sheet,
        row.rowNumber,
        row.cells.get('list_name') ?? null,
        'xlsform.entities-duplicate-list',
        `the entity list "${dataset}" is named on more than one row; keep one row per list`,
      );
      continue;
    }
    const decl: EntityDecl = { row, dataset, container: ctx.root, properties: [] };
    plan.decls.push(decl);
    refs.set(decl, sheetReferences(ctx, row));
  }
  const saveTos = readSaveTos(ctx, plan);
  for (const decl of plan.decls) placeBlock(ctx, sheet, decl, refs.get(decl) ?? [], saveTos.get(decl) ?? []);
  for (const decl of plan.decls) {
    const other = plan.byContainer.get(decl.container);
    if (other === undefined) {
      plan.byContainer.set(decl.container, decl);
      continue;
    }
    const where = decl.container === ctx.root ? 'the survey' : `the repeat "${decl.container.name}"`;
    const groups = hasGroupInScope(decl.container);
    report(
      ctx,
      sheet,
      decl.row.rowNumber,
      null,
      groups ? 'xlsform.not-supported-yet' : 'xlsform.entities-placement',
      groups
        ? `the lists "${other.dataset}" (row ${other.row.rowNumber}) and "${decl.dataset}" both belong to ${where}; pyxform would place one in a group's meta, which is not supported yet: put one list's questions in their own repeat`
        : `the lists "${other.dataset}" (row ${other.row.rowNumber}) and "${decl.dataset}" both belong to ${where}, which can hold one entity list: put one list's questions in their own repeat`,
    );
  }
  for (const [decl, list] of saveTos) for (const { node, property } of list) plan.saveTo.set(node, { decl, property });
  return plan;
}

function report(ctx: Ctx, sheet: string, row: number | null, cell: Cell | null, code: string, message: string): void {
  ctx.issues.push(issue(code, sheet, row, cell, message));
}

/** pyxform's entities-sheet rule: known columns only. */
function checkEntitiesSheet(ctx: Ctx, table: SheetTable): boolean {
  const header = table.rows[0];
  const unknown = new Map<string, Cell>();
  for (const row of table.rows)
    for (const [key, cell] of row.cells) if (!ENTITY_COLUMNS.has(key)) unknown.set(cell.header, cell);
  for (const cell of unknown.values())
    report(
      ctx,
      table.name,
      (header?.rowNumber ?? 2) - 1,
      cell,
      'xlsform.entities-unknown-column',
      `the entities sheet has no column "${cell.header}": its columns are list_name, label, entity_id, create_if and update_if`,
    );
  return unknown.size === 0;
}

function listName(ctx: Ctx, sheet: string, row: SheetRow): string | null {
  const cell = row.cells.get('list_name');
  const dataset = cell?.value.trim();
  if (!dataset) {
    report(
      ctx,
      sheet,
      row.rowNumber,
      null,
      'xlsform.entities-no-list',
      'the entities sheet needs a list_name: the entity list this form creates or updates',
    );
    return null;
  }
  if (dataset.startsWith('__') || dataset.includes('.') || !XML_NAME.test(dataset))
    report(
      ctx,
      sheet,
      row.rowNumber,
      cell ?? null,
      'xlsform.entities-bad-list',
      `"${dataset}" is not a valid entity list name`,
    );
  return dataset;
}

/** The questions the row's expressions name with `${}` (unknown names are reported when resolved). */
function sheetReferences(ctx: Ctx, row: SheetRow): SurveyNode[] {
  const out: SurveyNode[] = [];
  for (const key of EXPRESSION_COLUMNS) {
    for (const match of (row.cells.get(key)?.value ?? '').matchAll(REF)) {
      const found = (ctx.byName.get((match[1] ?? '').trim()) ?? []).filter((n) => n.kind !== 'root');
      if (found.length === 1) out.push(found[0] as SurveyNode);
    }
  }
  return out;
}

/** Every question's `save_to`, assigned to its list and checked as pyxform checks it. */
function readSaveTos(ctx: Ctx, plan: EntityPlan): Map<EntityDecl, Array<{ node: SurveyNode; property: string }>> {
  const out = new Map<EntityDecl, Array<{ node: SurveyNode; property: string }>>();
  const visit = (node: SurveyNode): void => {
    for (const child of node.children) {
      if (child.kind === 'question') readSaveTo(ctx, plan, child, out);
      else visit(child);
    }
  };
  visit(ctx.root);
  return out;
}

function readSaveTo(
  ctx: Ctx,
  plan: EntityPlan,
  node: SurveyNode,
  out: Map<EntityDecl, Array<{ node: SurveyNode; property: string }>>,
): void {
  const cell = rowCell(node, 'save_to');
  const value = cell?.value.trim() ?? '';
  if (cell === undefined || value === '') return;
  const fail = (code: string, message: string): void =>
    report(ctx, ctx.surveySheet, node.row?.rowNumber ?? null, cell, code, message);
  if (plan.decls.length === 0)
    return fail('xlsform.save-to-without-entities', 'save_to needs an entities sheet that names the entity list');
  const parts = value.split('#');
  if (parts.length > 2) return fail('xlsform.save-to-invalid', `"${value}" has more than one "#": write list#property`);
  const [listPart, property] = parts.length === 2 ? [parts[0] as string, parts[1] as string] : [null, value];
  let decl: EntityDecl | undefined;
  if (listPart === null) {
    if (plan.decls.length > 1)
      return fail(
        'xlsform.save-to-needs-list',
        `the form writes to more than one entity list, so save_to must name its list: write list#${value}`,
      );
    decl = plan.decls[0];
  } else {
    decl = plan.decls.find((d) => d.dataset === listPart);
    if (decl === undefined)
      return fail('xlsform.save-to-unknown-list', `"${listPart}" is not an entity list on the entities sheet`);
  }
  if (decl === undefined) return;
  if (['name', 'label'].includes(property.toLowerCase()) || property.startsWith('__'))
    return fail(
      'xlsform.save-to-reserved',
      `"${property}" is reserved for the entity itself and cannot be a property name`,
    );
  if (!XML_NAME.test(property) || property.includes('.'))
    return fail('xlsform.save-to-invalid', `"${property}" is not a valid property name`);
  const list = out.get(decl) ?? [];
  const earlier = list.find((p) => p.property === property);
  if (earlier)
    return fail(
      'xlsform.save-to-duplicate',
      `another question (row ${earlier.node.row?.rowNumber ?? '?'}) already saves to the property "${property}"`,
    );
  list.push({ node, property });
  out.set(decl, list);
  decl.properties.push({ node, property });
}

/** The root or the repeat a node's value lives in once per instance. */
function boundary(node: SurveyNode, root: SurveyNode): SurveyNode {
  return repeatAncestor(node) ?? root;
}

/**
 * The deepest repeat the list's references reach (pyxform: the deepest boundary scope). Every other
 * reference must be outside that repeat's instances or in them; every `save_to` in exactly it.
 */
function placeBlock(
  ctx: Ctx,
  sheet: string,
  decl: EntityDecl,
  refs: SurveyNode[],
  saveTos: Array<{ node: SurveyNode }>,
): void {
  const all = [...refs, ...saveTos.map((s) => s.node)];
  let deepest = ctx.root;
  for (const node of all) {
    const scope = boundary(node, ctx.root);
    if (chain(scope).length > chain(deepest).length) deepest = scope;
  }
  for (const node of all) {
    const scope = boundary(node, ctx.root);
    if (!chain(deepest).includes(scope)) {
      report(
        ctx,
        sheet,
        decl.row.rowNumber,
        null,
        'xlsform.entities-scope-conflict',
        `the list "${decl.dataset}" refers to questions in different repeats ("${node.name}" is in ${scope === ctx.root ? 'the survey' : `"${scope.name}"`}, others in "${deepest.name}"): one entity is made per repeat instance, so its questions must share one repeat`,
      );
      return;
    }
  }
  for (const { node } of saveTos) {
    if (boundary(node, ctx.root) !== deepest) {
      const first = saveTos.find((s) => boundary(s.node, ctx.root) === deepest)?.node ?? refs[0];
      report(
        ctx,
        ctx.surveySheet,
        node.row?.rowNumber ?? null,
        rowCell(node, 'save_to') ?? null,
        'xlsform.save-to-scope',
        `this save_to is for the list "${decl.dataset}", whose entities are made once per "${deepest.name}" (row ${first?.row?.rowNumber ?? '?'}), but this question is ${boundary(node, ctx.root) === ctx.root ? 'outside it' : `in "${boundary(node, ctx.root).name}"`}: copy the value into that repeat with a calculate and save that`,
      );
    }
  }
  decl.container = deepest;
}

/** Whether a group sits inside the container's own scope (not inside a nested repeat). */
function hasGroupInScope(container: SurveyNode): boolean {
  return container.children.some((c) => c.kind === 'group' && (c.children.length > 0 || hasGroupInScope(c)));
}

/** The `entity` element's path for a container: `/data/meta/entity` or `/data/members/meta/entity`. */
export function entityPath(container: SurveyNode): string {
  return `${pathOf(container)}/meta/entity`;
}
