/** The survey sheet read into a tree of groups, repeats and questions, with names checked as they arrive. */
import { issue } from './issues.js';
import { XML_NAME, type ChoiceList, type Ctx, type SurveyNode } from './model.js';
import { lookupQuestionType, parseSelectType, type QuestionType, type SelectType } from './questionTypes.js';
import type { Cell, SheetRow, SheetTable } from './sheetTable.js';
import { applyTableLists, expandLoop } from './treeShorthands.js';

/** Where the walk over the survey rows is: the open groups, innermost last. */
interface TreeWalk {
  ctx: Ctx;
  sheet: string;
  stack: SurveyNode[];
}

export function buildTree(ctx: Ctx, survey: SheetTable): void {
  const walk: TreeWalk = { ctx, sheet: survey.name, stack: [ctx.root] };
  for (const row of survey.rows) {
    if (disabled(ctx, row)) continue;
    const typeCell = row.cells.get('type');
    const rawType = typeCell?.value.trim().replace(/\s+/g, ' ');
    if (!rawType) {
      const nameCell = row.cells.get('name') ?? null;
      if (nameCell?.value.trim() || row.cells.has('label'))
        ctx.issues.push(issue('xlsform.missing-type', walk.sheet, row.rowNumber, nameCell, 'this row has no type'));
      continue;
    }
    const control = /^(begin|end)[ _](group|repeat|loop)\b(.*)$/.exec(rawType.toLowerCase());
    if (control) {
      const [, verb, what, rest] = control as unknown as [string, string, 'group' | 'repeat' | 'loop', string];
      if (verb === 'begin') beginRow(walk, row, rawType, what, rest);
      else endRow(walk, row, rawType, what);
    } else questionRow(walk, row, rawType);
  }
  for (let i = walk.stack.length - 1; i > 0; i--) {
    const open = walk.stack[i] as SurveyNode;
    ctx.issues.push(
      issue(
        'xlsform.unclosed-group',
        walk.sheet,
        open.row?.rowNumber ?? null,
        open.row?.cells.get('type') ?? null,
        `the ${open.kind} "${open.name}" is never closed: add an "end ${open.kind}" row`,
      ),
    );
  }
  applyTableLists(ctx, ctx.root);
}

/** pyxform's retired `disabled` column: a warning, and a row marked yes is left out. */
function disabled(ctx: Ctx, row: SheetRow): boolean {
  const cell = row.cells.get('disabled');
  if (!cell) return false;
  const off = ['yes', 'true', 'true()', '1'].includes(cell.value.trim().toLowerCase());
  ctx.warnings.push(
    issue(
      'xlsform.deprecated',
      row.sheet,
      row.rowNumber,
      cell,
      `the disabled column is not part of the XLSForm spec any more; use relevant instead${off ? ' (this row is left out)' : ''}`,
    ),
  );
  return off;
}

function top(walk: TreeWalk): SurveyNode {
  return walk.stack[walk.stack.length - 1] as SurveyNode;
}

function beginRow(walk: TreeWalk, row: SheetRow, rawType: string, what: 'group' | 'repeat' | 'loop', rest: string) {
  const { ctx, sheet } = walk;
  const typeCell = row.cells.get('type') ?? null;
  const nameCell = row.cells.get('name') ?? null;
  let name = nameCell?.value.trim();
  const loop = what === 'loop' ? /^\s+over\s+(\S+)\s*$/.exec(rest) : null;
  if (what === 'loop' && (!loop || !ctx.lists.has(loop[1] as string))) {
    const why = loop
      ? `the choice list "${loop[1]}" is not on the choices sheet`
      : 'write it as "begin loop over <list name>"';
    ctx.issues.push(issue('xlsform.bad-loop', sheet, row.rowNumber, typeCell, `"${rawType}": ${why}`));
  } else if (rest.trim() !== '' && what !== 'loop') {
    ctx.issues.push(issue('xlsform.unknown-type', sheet, row.rowNumber, typeCell, `unknown type "${rawType}"`));
  }
  if (!name) {
    ctx.issues.push(issue('xlsform.missing-name', sheet, row.rowNumber, nameCell, `the ${what} has no name`));
    name = `${what}_${row.rowNumber}`;
  }
  const parent = top(walk);
  const node: SurveyNode = {
    kind: what === 'repeat' ? 'repeat' : 'group',
    name,
    row,
    type: `begin ${what}`,
    children: [],
    parent,
  };
  if (loop) node.loopList = loop[1] as string;
  addChild(ctx, parent, node, nameCell);
  walk.stack.push(node);
}

function endRow(walk: TreeWalk, row: SheetRow, rawType: string, what: 'group' | 'repeat' | 'loop'): void {
  const { ctx, sheet, stack } = walk;
  const open = top(walk);
  const openWhat = open.type === 'begin loop' ? 'loop' : open.kind;
  if (openWhat !== what) {
    const expected =
      open.kind === 'root'
        ? `there is no open ${what} to end here`
        : `expected "end ${openWhat}" for the ${openWhat} "${open.name}" that starts on row ${open.row?.rowNumber}`;
    ctx.issues.push(
      issue(
        'xlsform.unmatched-end',
        sheet,
        row.rowNumber,
        row.cells.get('type') ?? null,
        `"${rawType}" does not match: ${expected}`,
      ),
    );
    if (open.kind !== 'root') stack.pop();
    return;
  }
  stack.pop();
  if (open.loopList) expandLoop(ctx, open, ctx.lists.get(open.loopList) as ChoiceList);
}

/** The question type of a row, or null (reported) when the type is unknown or unsupported. */
function rowType(walk: TreeWalk, row: SheetRow, rawType: string): { qtype?: QuestionType; select?: SelectType } | null {
  const { ctx, sheet } = walk;
  const typeCell = row.cells.get('type') ?? null;
  const lowerType = rawType.toLowerCase();
  if (lowerType === 'include' || lowerType.startsWith('include ')) {
    const name = row.cells.get('name')?.value.trim();
    ctx.issues.push(
      issue(
        'xlsform.include-unsupported',
        sheet,
        row.rowNumber,
        typeCell,
        `"include" splices in another file ("${name ?? ''}"), which is not supported: copy its rows into this survey sheet`,
      ),
    );
    return null;
  }
  const select = parseSelectType(rawType);
  let qtype = select ? undefined : lookupQuestionType(rawType);
  const osm = /^osm(\s+\S+)?$/i.test(rawType);
  if (!select && !qtype && !osm) {
    const hint = lowerType.startsWith('select') ? ' (a select needs a list name, e.g. "select_one yes_no")' : '';
    ctx.issues.push(
      issue('xlsform.unknown-type', sheet, row.rowNumber, typeCell, `unknown question type "${rawType}"${hint}`),
    );
    return null;
  }
  if (select?.external) qtype = { name: 'select_one_external', bindType: 'string', control: 'input' };
  if (osm) qtype = { name: 'osm', bindType: 'binary', control: 'upload', mediatype: 'osm/*' };
  return { ...(qtype ? { qtype } : {}), ...(select ? { select } : {}) };
}

function questionRow(walk: TreeWalk, row: SheetRow, rawType: string): void {
  const { ctx, sheet } = walk;
  const typeCell = row.cells.get('type') ?? null;
  const nameCell = row.cells.get('name') ?? null;
  const typed = rowType(walk, row, rawType);
  if (!typed) return;
  const { qtype, select } = typed;
  let name = nameCell?.value.trim();
  if (!name) {
    if (qtype?.name === 'note') name = `generated_note_name_${row.rowNumber}`;
    else if (qtype?.metadata && qtype.preload) name = qtype.name.replace(':', '_');
    else if (qtype?.name === 'audit') name = 'audit';
    else {
      ctx.issues.push(
        issue('xlsform.missing-name', sheet, row.rowNumber, nameCell, `the ${rawType} question has no name`),
      );
      return;
    }
  }
  if (select && /^\$\{.*\}$/.test(select.listName)) {
    ctx.issues.push(
      issue(
        'xlsform.not-supported-yet',
        sheet,
        row.rowNumber,
        typeCell,
        `choices from the answers of a repeat ("${rawType}") are not supported yet; list the choices on the choices sheet`,
      ),
    );
    return;
  }
  if (select && searchAppearance(ctx, row, select)) return;
  if (select && !select.fromFile && !select.external) {
    const list = ctx.lists.get(select.listName);
    if (!list) {
      ctx.issues.push(
        issue(
          'xlsform.missing-choice-list',
          sheet,
          row.rowNumber,
          typeCell,
          `the choice list "${select.listName}" is not on the choices sheet`,
        ),
      );
    } else if (list.choices.length === 0) {
      ctx.issues.push(
        issue(
          'xlsform.empty-choice-list',
          sheet,
          row.rowNumber,
          typeCell,
          `the choice list "${select.listName}" has no choices`,
        ),
      );
    } else checkSelectChoices(ctx, row, select, list);
  }
  const parent = top(walk);
  const node: SurveyNode = {
    kind: 'question',
    name,
    row,
    type: select ? select.kind : (qtype as QuestionType).name,
    children: [],
    parent,
  };
  if (qtype) node.qtype = qtype;
  if (select) node.select = select;
  addChild(ctx, parent, node, nameCell);
  if (select?.orOther) addOrOther(ctx, parent, node, select, nameCell);
}

/**
 * `search()` is Collect's lookup in an attached CSV, with inline items instead of an itemset. With
 * select_from_file pyxform refuses it; otherwise it is valid XLSForm that Outpost's devices cannot
 * run yet. Returns true when the row was refused.
 */
function searchAppearance(ctx: Ctx, row: SheetRow, select: SelectType): boolean {
  const appearance = row.cells.get('appearance');
  if (!appearance || !/search\s*\(/.test(appearance.value)) return false;
  ctx.issues.push(
    select.fromFile
      ? issue(
          'xlsform.search-from-file',
          ctx.surveySheet,
          row.rowNumber,
          appearance,
          'search() cannot be used with a select_one_from_file or select_multiple_from_file: remove search() or change the select type',
        )
      : issue(
          'xlsform.not-supported-yet',
          ctx.surveySheet,
          row.rowNumber,
          appearance,
          'the search() appearance (choices looked up in an attached CSV) is not supported yet; list the choices on the choices sheet or use select_one_from_file',
        ),
  );
  return true;
}

/** pyxform's rules for a select's list: no spaces in select_multiple names; no filter with or_other. */
function checkSelectChoices(ctx: Ctx, row: SheetRow, select: SelectType, list: ChoiceList): void {
  const spaced = select.kind === 'select_multiple' ? list.choices.find((c) => /\s/.test(c.name)) : undefined;
  if (spaced)
    ctx.issues.push(
      issue(
        'xlsform.choice-name-space',
        spaced.row.sheet,
        spaced.row.rowNumber,
        spaced.row.cells.get('name') ?? null,
        `the choice name "${spaced.name}" has a space, which a select_multiple cannot store (answers are separated by spaces)`,
      ),
    );
  const filter = row.cells.get('choice_filter');
  if (select.orOther && filter)
    ctx.issues.push(
      issue(
        'xlsform.or-other-choice-filter',
        ctx.surveySheet,
        row.rowNumber,
        filter,
        'a choice_filter cannot be combined with or_other: the filter would hide the "Other" choice. Add an "other" choice to the list and a text question shown when it is selected',
      ),
    );
}

/** `or_other` adds an "other" choice to the list and a text question shown when it is chosen. */
function addOrOther(ctx: Ctx, parent: SurveyNode, node: SurveyNode, select: SelectType, nameCell: Cell | null): void {
  const list = ctx.lists.get(select.listName);
  if (list && !list.choices.some((c) => c.name === 'other')) {
    const labels = new Map<string, Cell>();
    const langs = new Set<string>();
    for (const c of list.choices) for (const l of c.labels.keys()) langs.add(l);
    if (langs.size === 0) langs.add(ctx.defaultLanguage);
    for (const l of langs) labels.set(l, { value: 'Other', header: 'label', letter: '' });
    list.choices.push({ row: node.row as SheetRow, name: 'other', labels, media: new Map(), extra: [] });
  }
  const other: SurveyNode = {
    kind: 'question',
    name: `${node.name}_other`,
    row: node.row,
    type: 'text',
    qtype: lookupQuestionType('text') as QuestionType,
    children: [],
    parent,
    generated: 'or-other',
    labelOverride: new Map([[ctx.defaultLanguage, { value: 'Specify other.', header: 'label', letter: '' }]]),
    hintOverride: null,
    relevantOverride: `selected(../${node.name}, 'other')`,
  };
  addChild(ctx, parent, other, nameCell);
}

export function addChild(ctx: Ctx, parent: SurveyNode, node: SurveyNode, nameCell: Cell | null): void {
  const row = node.row?.rowNumber ?? null;
  if (!XML_NAME.test(node.name)) {
    ctx.issues.push(
      issue(
        'xlsform.invalid-name',
        ctx.surveySheet,
        row,
        nameCell,
        `"${node.name}" is not a valid name: names start with a letter or underscore and contain only letters, digits, "-", "_" and "."`,
      ),
    );
  }
  if (!node.generated) checkReservedNames(ctx, parent, node, nameCell);
  const sibling = parent.children.find((c) => c.name === node.name);
  if (sibling && !node.generated) {
    ctx.issues.push(
      issue(
        'xlsform.duplicate-name',
        ctx.surveySheet,
        row,
        nameCell,
        `the name "${node.name}" is already used on row ${sibling.row?.rowNumber} in the same group`,
      ),
    );
  }
  parent.children.push(node);
  const list = ctx.byName.get(node.name) ?? [];
  list.push(node);
  ctx.byName.set(node.name, list);
}

/** pyxform's naming rules beyond uniqueness among siblings (its NAMES_002 to NAMES_005). */
function checkReservedNames(ctx: Ctx, parent: SurveyNode, node: SurveyNode, nameCell: Cell | null): void {
  const row = node.row?.rowNumber ?? null;
  const refuse = (message: string): void => {
    ctx.issues.push(issue('xlsform.reserved-name', ctx.surveySheet, row, nameCell, message));
  };
  if (node.name === 'meta') refuse('the name "meta" is reserved for the form\'s metadata (instance ID, entity)');
  else if (node.kind === 'repeat' && node.name === ctx.root.name)
    refuse(`a repeat cannot have the name of the form's root ("${ctx.root.name}")`);
  else if (node.kind === 'repeat' && (ctx.byName.get(node.name) ?? []).some((n) => n.kind === 'repeat'))
    refuse(`another repeat is already named "${node.name}": repeat names must be unique in the whole form`);
  const twin = parent.children.find((c) => c.name !== node.name && c.name.toLowerCase() === node.name.toLowerCase());
  if (twin)
    ctx.warnings.push(
      issue(
        'xlsform.name-case-twin',
        ctx.surveySheet,
        row,
        nameCell,
        `"${node.name}" differs from "${twin.name}" (row ${twin.row?.rowNumber}) only in upper/lower case, which some analysis tools cannot tell apart`,
      ),
    );
}
