import { lookupQuestionType, parseSelectType, type QuestionType, type SelectType } from './questionTypes.js';
import { cellText, readSheet, translations, type Cell, type SheetRow, type SheetTable } from './sheetTable.js';
import type {
  CompileIssue,
  CompileOptions,
  CompileResult,
  EntitiesSpec,
  FieldInfo,
  FormSummary,
  Workbook,
} from './types.js';
import { XmlElement, type XmlChild } from './XmlElement.js';
import { xpathSyntaxError } from './xpathSyntax.js';

const NS = {
  xmlns: 'http://www.w3.org/2002/xforms',
  'xmlns:ev': 'http://www.w3.org/2001/xml-events',
  'xmlns:h': 'http://www.w3.org/1999/xhtml',
  'xmlns:jr': 'http://openrosa.org/javarosa',
  'xmlns:odk': 'http://www.opendatakit.org/xforms',
  'xmlns:orx': 'http://openrosa.org/xforms',
  'xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
};
const ENTITIES_NS = 'http://www.opendatakit.org/xforms/entities';
const ENTITIES_VERSION = '2024.1.0';
const KNOWN_SHEETS = ['survey', 'choices', 'settings', 'entities', 'external_choices', 'osm'];
const XML_NAME = /^[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_.\-\u00B7\u00C0-\uFFFF]*$/;
const REF = /\$\{([^}]*)\}/g;
/** Types that declare an attached file as a secondary instance instead of a field. */
const EXTERNAL_INSTANCE_TYPES = new Set(['xml-external', 'csv-external']);
const MEDIA_KINDS: Array<[string, string, string]> = [
  ['image', 'image', 'jr://images/'],
  ['big-image', 'big-image', 'jr://images/'],
  ['audio', 'audio', 'jr://audio/'],
  ['video', 'video', 'jr://video/'],
];

interface Choice {
  row: SheetRow;
  name: string;
  labels: Map<string, Cell>;
  media: Map<string, Map<string, Cell>>;
  extra: Array<[string, string]>;
}

interface ChoiceList {
  name: string;
  choices: Choice[];
  row: number;
}

type NodeKind = 'question' | 'group' | 'repeat' | 'root';

interface SurveyNode {
  kind: NodeKind;
  name: string;
  row: SheetRow | null;
  type: string;
  qtype?: QuestionType;
  select?: SelectType;
  children: SurveyNode[];
  parent: SurveyNode | null;
  /** Overrides applied by table-list handling and generated nodes. */
  appearance?: string | undefined;
  labelOverride?: Map<string, Cell> | null;
  hintOverride?: Map<string, Cell> | null;
  generated?: 'table-label' | 'table-header' | 'or-other' | 'repeat-count' | 'loop-item';
  calculation?: string;
  relevantOverride?: string;
  /** For `begin loop over <list>`: the list whose choices each get a copy of the loop's questions. */
  loopList?: string;
  /** On the root only: pyxform's retired `flat` setting. */
  flat?: boolean;
}

interface Ctx {
  surveySheet: string;
  issues: CompileIssue[];
  warnings: CompileIssue[];
  defaultLanguage: string;
  lists: Map<string, ChoiceList>;
  root: SurveyNode;
  byName: Map<string, SurveyNode[]>;
  languages: Set<string>;
  itext: Map<string, Map<string, Map<string, XmlChild[]>>>; // lang -> id -> form ('' = long) -> content
  itextIds: string[];
  fileInstances: Map<string, string>;
}

function locate(sheet: string, row: number | null, cell: Cell | null): string {
  let where = `${sheet} sheet`;
  if (row !== null) where += `, row ${row}`;
  if (cell) where += `, column "${cell.header}" (${cell.letter})`;
  return where;
}

function issue(code: string, sheet: string, row: number | null, cell: Cell | null, message: string): CompileIssue {
  return {
    code,
    sheet,
    row,
    column: cell ? `"${cell.header}" (${cell.letter})` : null,
    message: `${locate(sheet, row, cell)}: ${message}`,
  };
}

function findSheet(workbook: Workbook, name: string): Workbook['sheets'][number] | undefined {
  return workbook.sheets.find((s) => s.name.trim().toLowerCase() === name);
}

function stem(fileName: string | undefined): string | undefined {
  if (!fileName) return undefined;
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.[^.]+$/, '');
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && ['yes', 'true', 'true()', '1'].includes(value.trim().toLowerCase());
}

export function compileXlsform(workbook: Workbook, options: CompileOptions = {}): CompileResult {
  return compile(workbook, options, [], []);
}

function compile(
  workbook: Workbook,
  options: CompileOptions,
  issues: CompileIssue[],
  warnings: CompileIssue[],
): CompileResult {
  let surveySheet = findSheet(workbook, 'survey');
  if (!surveySheet) {
    const others = workbook.sheets.filter((s) => !KNOWN_SHEETS.includes(s.name.trim().toLowerCase()));
    if (others.length === 1) {
      surveySheet = others[0];
      warnings.push(
        issue(
          'xlsform.survey-sheet-guessed',
          surveySheet?.name ?? '',
          null,
          null,
          'there is no sheet named "survey"; this sheet was used as the survey',
        ),
      );
    } else {
      issues.push(issue('xlsform.no-survey-sheet', 'survey', null, null, 'the workbook has no sheet named "survey"'));
      return { ok: false, errors: issues };
    }
  }
  const settingsSheet = findSheet(workbook, 'settings');
  const settingsTable = settingsSheet ? readSheet(settingsSheet, warnings, false) : null;
  const settingsRow = settingsTable?.rows[0];
  const setting = (key: string): string | undefined => (settingsRow ? cellText(settingsRow, key) : undefined);

  const survey = readSheet(
    surveySheet as Workbook['sheets'][number],
    warnings,
    setting('clean_text_values') === undefined || truthy(setting('clean_text_values')),
  );
  const defaultLanguage = setting('default_language') ?? 'default';
  const ctx: Ctx = {
    surveySheet: survey.name,
    issues,
    warnings,
    defaultLanguage,
    lists: new Map(),
    root: {
      kind: 'root',
      name: options.formName ?? setting('name') ?? 'data',
      row: null,
      type: 'survey',
      children: [],
      parent: null,
    },
    byName: new Map(),
    languages: new Set(),
    itext: new Map(),
    itextIds: [],
    fileInstances: new Map(),
  };

  const choicesSheet = findSheet(workbook, 'choices');
  if (choicesSheet) readChoices(ctx, readSheet(choicesSheet, warnings), truthy(setting('allow_choice_duplicates')));
  buildTree(ctx, survey);
  if (issues.length > 0) return { ok: false, errors: issues };

  if (truthy(setting('flat'))) ctx.root.flat = true;
  const entitiesSheet = findSheet(workbook, 'entities');
  const entitiesTable = entitiesSheet ? readSheet(entitiesSheet, warnings) : null;
  const formStem = stem(options.fileName);
  const formId = setting('form_id') ?? setting('id_string') ?? formStem ?? ctx.root.name;
  const title = setting('form_title') ?? formStem ?? ctx.root.name;
  const version = setting('version') ?? '';

  const emitted = emit(ctx, {
    formId,
    title,
    version,
    instanceName: settingsRow?.cells.get('instance_name')
      ? { cell: settingsRow.cells.get('instance_name') as Cell, sheet: settingsRow.sheet, row: settingsRow.rowNumber }
      : null,
    publicKey: setting('public_key'),
    submissionUrl: setting('submission_url'),
    style: setting('style'),
    entities: entitiesTable,
    defaultSensitivity: setting('default_sensitivity') ?? null,
    flat: truthy(setting('flat')),
  });
  if (issues.length > 0) return { ok: false, errors: issues };
  const languages = [...ctx.languages].sort();
  const form: FormSummary = {
    formId,
    version,
    title,
    defaultLanguage: setting('default_language') ?? null,
    languages,
    instanceName: emitted.instanceName,
    fields: emitted.fields,
    entities: emitted.entities,
  };
  return { ok: true, xform: emitted.xml, form, warnings };
}

// ---------------------------------------------------------------- choices

function readChoices(ctx: Ctx, table: SheetTable, allowDuplicates: boolean): void {
  for (const row of table.rows) {
    const listCell = row.cells.get('list_name');
    const list = listCell?.value.trim();
    if (!list) {
      ctx.issues.push(
        issue('xlsform.choice-without-list', table.name, row.rowNumber, null, 'this choice has no list_name'),
      );
      continue;
    }
    const nameCell = row.cells.get('name');
    const name = nameCell?.value.trim();
    if (!name) {
      ctx.issues.push(
        issue('xlsform.missing-name', table.name, row.rowNumber, null, `the choice in list "${list}" has no name`),
      );
      continue;
    }
    let entry = ctx.lists.get(list);
    if (!entry) {
      entry = { name: list, choices: [], row: row.rowNumber };
      ctx.lists.set(list, entry);
    }
    const duplicate = entry.choices.find((c) => c.name === name);
    if (duplicate && !allowDuplicates) {
      ctx.issues.push(
        issue(
          'xlsform.duplicate-choice',
          table.name,
          row.rowNumber,
          nameCell ?? null,
          `the choice name "${name}" is already used in list "${list}" (row ${duplicate.row.rowNumber}); add allow_choice_duplicates = yes to settings if that is intended`,
        ),
      );
    }
    const labels = translations(row, 'label', ctx.defaultLanguage);
    const media = new Map<string, Map<string, Cell>>();
    for (const [kind] of MEDIA_KINDS) {
      const m = translations(row, `media:${kind}`, ctx.defaultLanguage);
      if (m.size > 0) media.set(kind, m);
    }
    const extra: Array<[string, string]> = [];
    for (const [key, cell] of row.cells) {
      if (
        key === 'list_name' ||
        key === 'name' ||
        key === 'label' ||
        key.startsWith('label::') ||
        key.startsWith('media:')
      )
        continue;
      if (XML_NAME.test(key)) extra.push([cell.header.trim(), cell.value.trim()]);
    }
    entry.choices.push({ row, name, labels, media, extra });
  }
}

function listUsesItext(list: ChoiceList): boolean {
  return list.choices.some(
    (c) => c.media.size > 0 || [...c.labels.keys()].some((lang) => lang !== 'default' || c.labels.size > 1),
  );
}

// ---------------------------------------------------------------- survey tree

function buildTree(ctx: Ctx, survey: SheetTable): void {
  const stack: SurveyNode[] = [ctx.root];
  const sheet = survey.name;
  for (const row of survey.rows) {
    const typeCell = row.cells.get('type');
    const rawType = typeCell?.value.trim().replace(/\s+/g, ' ');
    const nameCell = row.cells.get('name') ?? null;
    let name = nameCell?.value.trim();
    const parent = stack[stack.length - 1] as SurveyNode;
    if (!rawType) {
      if (name || row.cells.has('label'))
        ctx.issues.push(issue('xlsform.missing-type', sheet, row.rowNumber, nameCell, 'this row has no type'));
      continue;
    }
    const lowerType = rawType.toLowerCase();
    const control = /^(begin|end)[ _](group|repeat|loop)\b(.*)$/.exec(lowerType);
    if (control) {
      const [, verb, what, rest] = control as unknown as [string, string, string, string];
      const loop = what === 'loop' ? /^\s+over\s+(\S+)\s*$/.exec(rest) : null;
      if (verb === 'begin') {
        if (what === 'loop' && (!loop || !ctx.lists.has(loop[1] as string))) {
          const why = loop
            ? `the choice list "${loop[1]}" is not on the choices sheet`
            : 'write it as "begin loop over <list name>"';
          ctx.issues.push(issue('xlsform.bad-loop', sheet, row.rowNumber, typeCell ?? null, `"${rawType}": ${why}`));
        } else if (rest.trim() !== '' && what !== 'loop') {
          ctx.issues.push(
            issue('xlsform.unknown-type', sheet, row.rowNumber, typeCell ?? null, `unknown type "${rawType}"`),
          );
        }
        if (!name) {
          ctx.issues.push(issue('xlsform.missing-name', sheet, row.rowNumber, nameCell, `the ${what} has no name`));
          name = `${what}_${row.rowNumber}`;
        }
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
        stack.push(node);
      } else {
        const open = stack[stack.length - 1] as SurveyNode;
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
              typeCell ?? null,
              `"${rawType}" does not match: ${expected}`,
            ),
          );
          if (open.kind !== 'root') stack.pop();
          continue;
        }
        stack.pop();
        if (open.loopList) expandLoop(ctx, open, ctx.lists.get(open.loopList) as ChoiceList);
      }
      continue;
    }
    if (lowerType === 'include' || lowerType.startsWith('include ')) {
      ctx.issues.push(
        issue(
          'xlsform.include-unsupported',
          sheet,
          row.rowNumber,
          typeCell ?? null,
          `"include" splices in another file ("${name ?? ''}"), which is not supported: copy its rows into this survey sheet`,
        ),
      );
      continue;
    }
    const select = parseSelectType(rawType);
    let qtype = select ? undefined : lookupQuestionType(rawType);
    if (!select && !qtype && !/^osm(\s+\S+)?$/i.test(rawType)) {
      const hint = lowerType.startsWith('select') ? ' (a select needs a list name, e.g. "select_one yes_no")' : '';
      ctx.issues.push(
        issue(
          'xlsform.unknown-type',
          sheet,
          row.rowNumber,
          typeCell ?? null,
          `unknown question type "${rawType}"${hint}`,
        ),
      );
      continue;
    }
    if (select?.external) qtype = { name: 'select_one_external', bindType: 'string', control: 'input' };
    const osm = /^osm(\s+\S+)?$/i.test(rawType);
    if (osm) qtype = { name: 'osm', bindType: 'binary', control: 'upload', mediatype: 'osm/*' };
    if (!name) {
      if (qtype?.name === 'note') name = `generated_note_name_${row.rowNumber}`;
      else if (qtype?.metadata && qtype.preload) name = qtype.name.replace(':', '_');
      else {
        ctx.issues.push(
          issue('xlsform.missing-name', sheet, row.rowNumber, nameCell, `the ${rawType} question has no name`),
        );
        continue;
      }
    }
    if (select && !select.fromFile && !select.external) {
      const list = ctx.lists.get(select.listName);
      if (!list) {
        ctx.issues.push(
          issue(
            'xlsform.missing-choice-list',
            sheet,
            row.rowNumber,
            typeCell ?? null,
            `the choice list "${select.listName}" is not on the choices sheet`,
          ),
        );
      } else if (list.choices.length === 0) {
        ctx.issues.push(
          issue(
            'xlsform.empty-choice-list',
            sheet,
            row.rowNumber,
            typeCell ?? null,
            `the choice list "${select.listName}" has no choices`,
          ),
        );
      }
    }
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
    if (select?.orOther) {
      const list = ctx.lists.get(select.listName);
      if (list && !list.choices.some((c) => c.name === 'other')) {
        const labels = new Map<string, Cell>();
        const langs = new Set<string>();
        for (const c of list.choices) for (const l of c.labels.keys()) langs.add(l);
        if (langs.size === 0) langs.add(ctx.defaultLanguage);
        for (const l of langs) labels.set(l, { value: 'Other', header: 'label', letter: '' });
        list.choices.push({ row, name: 'other', labels, media: new Map(), extra: [] });
      }
      const other: SurveyNode = {
        kind: 'question',
        name: `${name}_other`,
        row,
        type: 'text',
        qtype: lookupQuestionType('text') as QuestionType,
        children: [],
        parent,
        generated: 'or-other',
        labelOverride: new Map([[ctx.defaultLanguage, { value: 'Specify other.', header: 'label', letter: '' }]]),
        hintOverride: null,
        relevantOverride: `selected(../${name}, 'other')`,
      };
      addChild(ctx, parent, other, nameCell);
    }
  }
  for (let i = stack.length - 1; i > 0; i--) {
    const open = stack[i] as SurveyNode;
    ctx.issues.push(
      issue(
        'xlsform.unclosed-group',
        sheet,
        open.row?.rowNumber ?? null,
        open.row?.cells.get('type') ?? null,
        `the ${open.kind} "${open.name}" is never closed: add an "end ${open.kind}" row`,
      ),
    );
  }
  applyTableLists(ctx, ctx.root);
}

/**
 * A loop is shorthand for one group per choice, each holding a copy of the loop's questions with
 * `%(label)s` / `%(name)s` in their labels replaced by that choice's label and name (as pyxform does).
 */
function expandLoop(ctx: Ctx, loop: SurveyNode, list: ChoiceList): void {
  const template = loop.children;
  const copy = (node: SurveyNode, parent: SurveyNode, choice: Choice): SurveyNode => {
    const fill = (texts: Map<string, Cell>): Map<string, Cell> =>
      new Map(
        [...texts].map(([lang, cell]) => {
          const choiceLabel = (choice.labels.get(lang) ?? choice.labels.get(ctx.defaultLanguage))?.value ?? choice.name;
          const value = cell.value.replace(/%\(label\)s/g, choiceLabel).replace(/%\(name\)s/g, choice.name);
          return [lang, { ...cell, value }];
        }),
      );
    const clone: SurveyNode = {
      ...node,
      parent,
      children: [],
      labelOverride: node.row ? fill(labelsOf(ctx, node, 'label')) : (node.labelOverride ?? null),
      hintOverride: node.row ? fill(labelsOf(ctx, node, 'hint')) : (node.hintOverride ?? null),
    };
    const names = ctx.byName.get(clone.name) ?? [];
    names.push(clone);
    ctx.byName.set(clone.name, names);
    clone.children = node.children.map((child) => copy(child, clone, choice));
    return clone;
  };
  for (const node of template) {
    const names = ctx.byName.get(node.name) ?? [];
    ctx.byName.set(
      node.name,
      names.filter((n) => n !== node),
    );
  }
  loop.children = list.choices.map((choice) => {
    const group: SurveyNode = {
      kind: 'group',
      name: choice.name,
      row: loop.row,
      type: 'begin group',
      children: [],
      parent: loop,
      generated: 'loop-item',
      labelOverride: choice.labels,
      hintOverride: null,
    };
    group.children = template.map((child) => copy(child, group, choice));
    return group;
  });
}

function addChild(ctx: Ctx, parent: SurveyNode, node: SurveyNode, nameCell: Cell | null): void {
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

/** pyxform turns a table-list group into a field-list with a header row of choice labels. */
function applyTableLists(ctx: Ctx, node: SurveyNode): void {
  for (const child of node.children) applyTableLists(ctx, child);
  if (node.kind !== 'group' || !node.row) return;
  const appearance = cellText(node.row, 'appearance');
  if (!appearance || !appearance.split(/\s+/).includes('table-list')) return;
  node.appearance = appearance
    .split(/\s+/)
    .map((a) => (a === 'table-list' ? 'field-list' : a))
    .join(' ');
  const children: SurveyNode[] = [];
  const labels = translations(node.row, 'label', ctx.defaultLanguage);
  const hints = translations(node.row, 'hint', ctx.defaultLanguage);
  if (labels.size > 0) {
    children.push({
      kind: 'question',
      name: `generated_table_list_label_${node.row.rowNumber}`,
      row: node.row,
      type: 'note',
      qtype: lookupQuestionType('note') as QuestionType,
      children: [],
      parent: node,
      generated: 'table-label',
      labelOverride: labels,
      hintOverride: hints,
      appearance: undefined,
    });
    node.labelOverride = null;
    node.hintOverride = null;
  }
  let listName: string | undefined;
  for (const child of node.children) {
    if (child.select && child.row) {
      if (listName === undefined) {
        listName = child.select.listName;
        children.push({
          kind: 'question',
          name: `reserved_name_for_field_list_labels_${child.row.rowNumber}`,
          row: child.row,
          type: child.select.kind,
          select: { ...child.select, orOther: false },
          children: [],
          parent: node,
          generated: 'table-header',
          appearance: 'label',
          labelOverride: null,
          hintOverride: null,
        });
      } else if (listName !== child.select.listName) {
        ctx.issues.push(
          issue(
            'xlsform.table-list-lists',
            ctx.surveySheet,
            child.row.rowNumber,
            child.row.cells.get('type') ?? null,
            `every select in a table-list group must use the same choice list ("${listName}"), not "${child.select.listName}"`,
          ),
        );
      }
      child.appearance = 'list-nolabel';
    }
    children.push(child);
  }
  node.children = children;
}

// ---------------------------------------------------------------- paths and references

function chain(node: SurveyNode): SurveyNode[] {
  const out: SurveyNode[] = [];
  for (let n: SurveyNode | null = node; n; n = n.parent) out.unshift(n);
  return out;
}

/** The retired pyxform `flat` setting keeps groups in the body but leaves them out of the instance. */
function pathOf(node: SurveyNode): string {
  const nodes = chain(node);
  const flat = nodes[0]?.flat === true;
  return `/${nodes
    .filter((n) => !(flat && n.kind === 'group'))
    .map((n) => n.name)
    .join('/')}`;
}

function ancestors(node: SurveyNode): SurveyNode[] {
  const nodes = chain(node);
  const flat = nodes[0]?.flat === true;
  return nodes.filter((n) => !(flat && n.kind === 'group' && n !== node));
}

function repeatAncestor(node: SurveyNode): SurveyNode | null {
  for (let n: SurveyNode | null = node.parent; n; n = n.parent) if (n.kind === 'repeat') return n;
  return null;
}

/** A reference inside the same repeat instance is made relative (../x), as pyxform does, so it stays in that instance. */
function referencePath(from: SurveyNode, target: SurveyNode): string {
  const fromChain = ancestors(from);
  const targetChain = ancestors(target);
  let common = 0;
  while (common < fromChain.length && common < targetChain.length && fromChain[common] === targetChain[common])
    common++;
  const shared = fromChain.slice(0, common);
  const inRepeat = shared.some((n) => n.kind === 'repeat');
  if (!inRepeat || from === target) return pathOf(target);
  const ups = fromChain.length - common;
  const downs = targetChain.slice(common).map((n) => n.name);
  return [...Array<string>(ups).fill('..'), ...downs].join('/');
}

function resolveRefs(
  ctx: Ctx,
  from: SurveyNode,
  text: string,
  cell: Cell | null,
  row: number | null,
  mode: 'expression' | 'choice-filter' = 'expression',
  sheet = ctx.surveySheet,
): string {
  return text.replace(REF, (whole, rawName: string) => {
    const name = rawName.trim();
    const matches = ctx.byName.get(name) ?? [];
    const target = matches.filter((m) => m.kind !== 'root');
    if (target.length === 0) {
      ctx.issues.push(
        issue(
          'xlsform.unknown-reference',
          sheet,
          row,
          cell,
          `unknown reference ${whole}: no question is named "${name}"`,
        ),
      );
      return whole;
    }
    if (target.length > 1) {
      ctx.issues.push(
        issue(
          'xlsform.ambiguous-reference',
          sheet,
          row,
          cell,
          `the reference ${whole} is ambiguous: rows ${target.map((t) => t.row?.rowNumber).join(', ')} all use the name "${name}"`,
        ),
      );
      return whole;
    }
    const t = target[0] as SurveyNode;
    if (mode === 'choice-filter') {
      const rel = relativeFromParent(from, t);
      return ` ${rel} `;
    }
    return ` ${referencePath(from, t)} `;
  });
}

function relativeFromParent(from: SurveyNode, target: SurveyNode): string {
  if (!repeatAncestor(from) && !repeatAncestor(target)) return pathOf(target);
  const path = referencePath(from, target);
  if (path.startsWith('/')) return path;
  return `current()/${path}`;
}

// ---------------------------------------------------------------- emit

interface EmitSettings {
  formId: string;
  title: string;
  version: string;
  instanceName: { cell: Cell; sheet: string; row: number } | null;
  publicKey: string | undefined;
  submissionUrl: string | undefined;
  style: string | undefined;
  entities: SheetTable | null;
  defaultSensitivity: string | null;
  flat: boolean;
}

function rowCell(node: SurveyNode, key: string): Cell | undefined {
  if (node.generated && node.generated !== 'table-label' && node.generated !== 'table-header') return undefined;
  if (node.generated === 'table-header') return undefined;
  if (node.generated === 'table-label') return undefined;
  return node.row?.cells.get(key);
}

function rowValue(node: SurveyNode, key: string): string | undefined {
  const v = rowCell(node, key)?.value.trim();
  return v === undefined || v === '' ? undefined : v;
}

function checkExpression(ctx: Ctx, node: SurveyNode, key: string, expression: string): void {
  const problem = xpathSyntaxError(expression);
  if (problem)
    ctx.issues.push(
      issue(
        'xlsform.bad-expression',
        ctx.surveySheet,
        node.row?.rowNumber ?? null,
        rowCell(node, key) ?? null,
        `this is not a valid expression: ${problem}`,
      ),
    );
}

function expression(ctx: Ctx, node: SurveyNode, key: string): string | undefined {
  const raw = rowValue(node, key);
  if (raw === undefined) return undefined;
  const before = ctx.issues.length;
  const resolved = resolveRefs(ctx, node, raw, rowCell(node, key) ?? null, node.row?.rowNumber ?? null);
  // An unresolved ${ref} is already reported; its leftover "$" would only add noise.
  if (ctx.issues.length === before) checkExpression(ctx, node, key, resolved);
  return resolved;
}

function booleanish(ctx: Ctx, node: SurveyNode, key: string): string | undefined {
  const raw = rowValue(node, key);
  if (raw === undefined) return undefined;
  const lower = raw.toLowerCase();
  if (['yes', 'true', 'true()'].includes(lower)) return 'true()';
  if (['no', 'false', 'false()'].includes(lower)) return 'false()';
  return expression(ctx, node, key);
}

/** Splits label text with `${ref}` into text and <output/> nodes. */
function textWithOutputs(ctx: Ctx, node: SurveyNode, cell: Cell): XmlChild[] {
  const out: XmlChild[] = [];
  let last = 0;
  const text = cell.value;
  for (const m of text.matchAll(REF)) {
    const index = m.index ?? 0;
    if (index > last) out.push(text.slice(last, index));
    const resolved = resolveRefs(ctx, node, m[0], cell, node.row?.rowNumber ?? null);
    out.push(new XmlElement('output', { value: resolved }));
    last = index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function addItext(ctx: Ctx, lang: string, id: string, form: string, content: XmlChild[]): void {
  ctx.languages.add(lang);
  let byId = ctx.itext.get(lang);
  if (!byId) {
    byId = new Map();
    ctx.itext.set(lang, byId);
  }
  let forms = byId.get(id);
  if (!forms) {
    forms = new Map();
    byId.set(id, forms);
  }
  if (!ctx.itextIds.includes(id)) ctx.itextIds.push(id);
  forms.set(form, content);
}

function labelsOf(ctx: Ctx, node: SurveyNode, base: 'label' | 'hint'): Map<string, Cell> {
  const override = base === 'label' ? node.labelOverride : node.hintOverride;
  if (override !== undefined) return override ?? new Map<string, Cell>();
  if (!node.row || node.generated) return new Map<string, Cell>();
  return translations(node.row, base, ctx.defaultLanguage);
}

function mediaOf(ctx: Ctx, node: SurveyNode): Map<string, Map<string, Cell>> {
  const out = new Map<string, Map<string, Cell>>();
  if (!node.row || node.generated) return out;
  for (const [kind] of MEDIA_KINDS) {
    const m = translations(node.row, `media:${kind}`, ctx.defaultLanguage);
    if (m.size > 0) out.set(kind, m);
  }
  return out;
}

function isTranslated(texts: Map<string, Cell>, defaultLanguage: string): boolean {
  return [...texts.keys()].some((l) => l !== defaultLanguage) || texts.size > 1;
}

/** Builds <label>/<hint>; text goes through itext when translated or when media is attached. */
function textElement(
  ctx: Ctx,
  node: SurveyNode,
  base: 'label' | 'hint',
  idBase: string,
  extraMedia: Map<string, Map<string, Cell>>,
): XmlElement | null {
  const texts = labelsOf(ctx, node, base);
  // Guidance hints are shown on request only, so they live in itext as the hint's "guidance" form.
  const guidance =
    base === 'hint' && node.row && !node.generated
      ? translations(node.row, 'guidance_hint', ctx.defaultLanguage)
      : new Map<string, Cell>();
  const useItext = isTranslated(texts, ctx.defaultLanguage) || extraMedia.size > 0 || guidance.size > 0;
  if (!useItext) {
    const cell = texts.get(ctx.defaultLanguage);
    if (!cell) return null;
    return new XmlElement(base, {}, textWithOutputs(ctx, node, cell));
  }
  const id = `${idBase}:${base}`;
  for (const [lang, cell] of texts) addItext(ctx, lang, id, '', textWithOutputs(ctx, node, cell));
  for (const [lang, cell] of guidance) addItext(ctx, lang, id, 'guidance', textWithOutputs(ctx, node, cell));
  for (const [kind, byLang] of extraMedia) {
    const prefix = (MEDIA_KINDS.find(([k]) => k === kind) as [string, string, string])[2];
    for (const [lang, cell] of byLang) addItext(ctx, lang, id, kind, [`${prefix}${cell.value.trim()}`]);
  }
  return new XmlElement(base, { ref: `jr:itext('${id}')` });
}

function messageAttribute(
  ctx: Ctx,
  node: SurveyNode,
  base: 'constraint_message' | 'required_message',
  attr: string,
): string | undefined {
  if (!node.row || node.generated) return undefined;
  const texts = translations(node.row, base, ctx.defaultLanguage);
  if (texts.size === 0) return undefined;
  if (!isTranslated(texts, ctx.defaultLanguage)) return (texts.get(ctx.defaultLanguage) as Cell).value;
  const id = `${pathOf(node)}:${attr}`;
  for (const [lang, cell] of texts) addItext(ctx, lang, id, '', textWithOutputs(ctx, node, cell));
  return `jr:itext('${id}')`;
}

interface Emitted {
  xml: string;
  fields: FieldInfo[];
  entities: EntitiesSpec | null;
  instanceName: string | null;
}

function emit(ctx: Ctx, settings: EmitSettings): Emitted {
  const binds: XmlElement[] = [];
  const modelActions: XmlElement[] = [];
  const fields: FieldInfo[] = [];
  const properties: Array<{ property: string; path: string }> = [];
  const root = ctx.root;
  const rootPath = pathOf(root);
  const flatRelevant = new Map<SurveyNode, string | undefined>();
  let hasAudit = false;

  const instanceRoot = new XmlElement(root.name, { id: settings.formId });
  if (settings.version) instanceRoot.attr('version', settings.version);
  const body = new XmlElement('h:body');
  if (settings.style) body.attr('class', settings.style);

  const instanceNodes = (node: SurveyNode, template: boolean): XmlElement => {
    const el = new XmlElement(node.name);
    if (template) el.attr('jr:template', '');
    for (const [key, cell] of template ? [] : (node.row?.cells ?? [])) {
      if (key.startsWith('instance:') && !node.generated)
        el.attr(
          key.slice('instance:'.length),
          resolveRefs(ctx, node, cell.value.trim(), cell, node.row?.rowNumber ?? null),
        );
    }
    if (node.kind === 'question') {
      const dflt = node.generated ? undefined : rowValue(node, 'default');
      if (dflt !== undefined && !/\$\{|[A-Za-z_-]+\(/.test(dflt)) el.append(dflt);
    }
    for (const child of node.children) {
      if (root.flat && child.kind === 'group') {
        for (const grandchild of instanceNodes(child, false).children) el.append(grandchild);
      } else if (child.qtype && (EXTERNAL_INSTANCE_TYPES.has(child.qtype.name) || child.qtype.name === 'audit')) {
        continue;
      } else if (child.kind === 'repeat') {
        el.append(instanceNodes(child, true));
        el.append(instanceNodes(child, false));
      } else el.append(instanceNodes(child, false));
    }
    return el;
  };

  const bodyOf = (node: SurveyNode, parentEl: XmlElement): void => {
    const path = pathOf(node);
    const row = node.row?.rowNumber ?? null;
    const bind = new XmlElement('bind', { nodeset: path });
    const controlAttrs = (el: XmlElement): void => {
      const appearance = node.appearance ?? rowValue(node, 'appearance') ?? node.qtype?.appearance;
      if (appearance) el.attr('appearance', appearance);
      for (const [key, cell] of node.generated ? [] : (node.row?.cells ?? [])) {
        if (key.startsWith('body:'))
          el.attr(key.slice('body:'.length), resolveRefs(ctx, node, cell.value.trim(), cell, row));
        if (key === 'rows' || key === 'autoplay' || key === 'intent') el.attr(key, cell.value.trim());
      }
    };
    // Bind attributes shared by groups and questions.
    let relevant = node.relevantOverride ?? expression(ctx, node, 'relevant');
    if (settings.flat && node.kind === 'group') {
      flatRelevant.set(node, relevant);
      relevant = undefined;
    }
    if (settings.flat && !relevant) {
      for (let n = node.parent; n && !relevant; n = n.parent) relevant = flatRelevant.get(n);
    }
    if (relevant) bind.attr('relevant', relevant);
    for (const [key, cell] of node.generated ? [] : (node.row?.cells ?? [])) {
      if (key.startsWith('bind:'))
        bind.attr(key.slice('bind:'.length), resolveRefs(ctx, node, cell.value.trim(), cell, row));
    }
    if (node.kind === 'group' || node.kind === 'repeat') {
      const readonly = booleanish(ctx, node, 'read_only');
      if (readonly) bind.attr('readonly', readonly);
      const group = new XmlElement('group');
      if (!settings.flat) group.attr('ref', path);
      const label = textElement(ctx, node, 'label', path, mediaOf(ctx, node));
      let container = group;
      if (node.kind === 'repeat') {
        group.append(label ?? new XmlElement('label', {}, ['']));
        const repeat = new XmlElement('repeat', { nodeset: path });
        controlAttrs(repeat);
        const countCell = rowCell(node, 'repeat_count');
        const count = countCell?.value.trim();
        if (count) {
          const ref = /^\$\{[^}]+\}$/.exec(count);
          if (ref) repeat.attr('jr:count', resolveRefs(ctx, node, count, countCell ?? null, row));
          else {
            const resolved = resolveRefs(ctx, node, count, countCell ?? null, row);
            checkExpression(ctx, node, 'repeat_count', resolved);
            const countNode: SurveyNode = {
              kind: 'question',
              name: `${node.name}_count`,
              row: null,
              type: 'calculate',
              children: [],
              parent: node.parent,
              generated: 'repeat-count',
              calculation: resolved,
            };
            const siblings = (node.parent as SurveyNode).children;
            siblings.splice(siblings.indexOf(node), 0, countNode);
            repeat.attr('jr:count', ` ${pathOf(countNode)} `);
            binds.push(
              new XmlElement('bind', {
                nodeset: pathOf(countNode),
                readonly: 'true()',
                type: 'string',
                calculate: resolved,
              }),
            );
          }
        }
        group.append(repeat);
        container = repeat;
      } else {
        controlAttrs(group);
        if (label) group.append(label);
      }
      if (bind.attributes.length > 1 && !(settings.flat && node.kind === 'group')) binds.push(bind);
      for (const child of [...node.children]) bodyOf(child, container);
      parentEl.append(group);
      return;
    }
    // Questions.
    if (node.generated === 'repeat-count') return;
    const qtype = node.qtype;
    const select = node.select;
    const bindType = select ? (select.kind === 'rank' ? 'odk:rank' : 'string') : qtype?.bindType;
    if (bindType) bind.attr('type', bindType);
    if (qtype?.readonly) bind.attr('readonly', 'true()');
    const readonly = booleanish(ctx, node, 'read_only');
    if (readonly) bind.attr('readonly', readonly);
    const required = booleanish(ctx, node, 'required');
    if (required) bind.attr('required', required);
    const requiredMsg = messageAttribute(ctx, node, 'required_message', 'jr:requiredMsg');
    if (requiredMsg) bind.attr('jr:requiredMsg', requiredMsg);
    const constraint = expression(ctx, node, 'constraint');
    if (constraint) bind.attr('constraint', constraint);
    const constraintMsg = messageAttribute(ctx, node, 'constraint_message', 'jr:constraintMsg');
    if (constraintMsg) bind.attr('jr:constraintMsg', constraintMsg);
    // With a trigger the calculation is the value a setvalue writes when the trigger changes
    // (see triggerActions), not a bind calculate: the user can still change the answer.
    const calculation = rowValue(node, 'trigger') ? undefined : expression(ctx, node, 'calculation');
    if (calculation) {
      bind.attr('calculate', calculation);
      // pulldata('name', ...) reads a CSV attached to the form, which must be declared as an instance.
      for (const m of calculation.matchAll(/pulldata\s*\(\s*['"]([^'"]+)['"]/g)) {
        ctx.fileInstances.set(m[1] as string, `jr://file-csv/${m[1] as string}.csv`);
      }
    } else if (node.type === 'calculate' && !node.generated && !rowValue(node, 'calculation')) {
      ctx.issues.push(
        issue(
          'xlsform.missing-calculation',
          ctx.surveySheet,
          row,
          node.row?.cells.get('type') ?? null,
          `the calculate "${node.name}" needs a formula in the calculation column`,
        ),
      );
    }
    if (qtype?.preload) {
      bind.attr('jr:preload', qtype.preload.preload);
      if (qtype.preload.params) bind.attr('jr:preloadParams', qtype.preload.params);
    }
    const dflt = node.generated ? undefined : rowValue(node, 'default');
    let repeatDefault: XmlElement | null = null;
    if (dflt !== undefined && /\$\{|[A-Za-z_-]+\(/.test(dflt)) {
      const value = expression(ctx, node, 'default') as string;
      modelActions.push(new XmlElement('setvalue', { event: 'odk-instance-first-load', ref: path, value }));
      // A new repeat instance gets its own default, which only a setvalue inside the repeat can do.
      if (repeatAncestor(node))
        repeatDefault = new XmlElement('setvalue', { event: 'odk-new-repeat', ref: path, value });
    }
    if (qtype?.name === 'start-geopoint')
      modelActions.push(new XmlElement('odk:setgeopoint', { event: 'odk-instance-first-load', ref: path }));
    if (qtype?.name === 'background-audio')
      modelActions.push(new XmlElement('odk:recordaudio', { event: 'odk-instance-load', ref: path }));
    if (qtype && EXTERNAL_INSTANCE_TYPES.has(qtype.name)) {
      ctx.fileInstances.set(
        node.name,
        qtype.name === 'csv-external' ? `jr://file-csv/${node.name}.csv` : `jr://file/${node.name}.xml`,
      );
      return;
    }
    if (qtype?.name === 'audit') {
      hasAudit = true;
      if (node.name !== 'audit')
        ctx.issues.push(
          issue(
            'xlsform.audit-name',
            ctx.surveySheet,
            row,
            rowCell(node, 'name') ?? null,
            'an audit question must be named "audit"',
          ),
        );
      bind.attr('nodeset', `${pathOf(ctx.root)}/meta/audit`);
    }
    const saveTo = rowValue(node, 'save_to');
    if (saveTo) {
      const saveToCell = rowCell(node, 'save_to') ?? null;
      if (!settings.entities) {
        ctx.issues.push(
          issue(
            'xlsform.save-to-without-entities',
            ctx.surveySheet,
            row,
            saveToCell,
            'save_to needs an entities sheet that names the entity list',
          ),
        );
      } else if (['name', 'label'].includes(saveTo.toLowerCase()) || saveTo.startsWith('__')) {
        ctx.issues.push(
          issue(
            'xlsform.save-to-reserved',
            ctx.surveySheet,
            row,
            saveToCell,
            `"${saveTo}" is reserved for the entity itself and cannot be a property name`,
          ),
        );
      } else if (!XML_NAME.test(saveTo)) {
        ctx.issues.push(
          issue(
            'xlsform.save-to-invalid',
            ctx.surveySheet,
            row,
            saveToCell,
            `"${saveTo}" is not a valid property name`,
          ),
        );
      } else if (repeatAncestor(node)) {
        ctx.issues.push(
          issue(
            'xlsform.save-to-in-repeat',
            ctx.surveySheet,
            row,
            saveToCell,
            'questions inside a repeat cannot be saved to an entity',
          ),
        );
      } else if (properties.some((p) => p.property === saveTo)) {
        ctx.issues.push(
          issue(
            'xlsform.save-to-duplicate',
            ctx.surveySheet,
            row,
            saveToCell,
            `another question already saves to the property "${saveTo}"`,
          ),
        );
      }
      bind.attr('entities:saveto', saveTo);
      properties.push({ property: saveTo, path });
    }
    const params = parseParameters(rowValue(node, 'parameters'));
    if (qtype?.name === 'image' && params['max-pixels']) bind.attr('orx:max-pixels', params['max-pixels']);
    if (qtype?.name === 'audio' && params['quality']) bind.attr('odk:quality', params['quality']);
    if (qtype?.name === 'geopoint' && params['allow-mock-accuracy'])
      bind.attr('odk:allow-mock-accuracy', params['allow-mock-accuracy']);
    if (qtype?.name === 'audit') {
      for (const p of [
        'location-priority',
        'location-min-interval',
        'location-max-age',
        'track-changes',
        'identify-user',
        'track-changes-reasons',
      ]) {
        if (params[p]) bind.attr(`odk:${p}`, params[p]);
      }
    }
    if (qtype?.name === 'range' && ['start', 'end', 'step'].some((p) => params[p]?.includes('.')))
      bind.attr('type', 'decimal');
    if (bind.attributes.length > 1) binds.push(bind);

    const labels = labelsOf(ctx, node, 'label');
    const media = mediaOf(ctx, node);
    if (qtype?.metadata && !qtype.preload) return;
    fields.push({
      path,
      name: node.name,
      type: node.type,
      labels: Object.fromEntries([...labels].map(([lang, cell]) => [lang, cell.value])),
      sensitivity: rowValue(node, 'sensitivity') ?? settings.defaultSensitivity,
      saveTo: saveTo ?? null,
      repeat: repeatAncestor(node) !== null,
    });
    const control = select
      ? select.external
        ? 'input'
        : select.kind === 'select_one'
          ? 'select1'
          : select.kind === 'rank'
            ? 'odk:rank'
            : 'select'
      : qtype?.control;
    if (!control) return;
    const hints = labelsOf(ctx, node, 'hint');
    const needsText = node.generated !== 'table-header' && !qtype?.metadata;
    if (needsText && labels.size === 0 && hints.size === 0 && media.size === 0 && !rowValue(node, 'guidance_hint')) {
      ctx.issues.push(
        issue(
          'xlsform.missing-label',
          ctx.surveySheet,
          row,
          node.row?.cells.get('name') ?? null,
          `the question "${node.name}" has no label or hint; use type calculate or hidden for a field the user should not see`,
        ),
      );
    }
    const el = new XmlElement(control, { ref: path });
    controlAttrs(el);
    if (qtype?.mediatype) el.attr('mediatype', qtype.mediatype);
    if (control === 'range') {
      const defaults: Record<string, string> = { start: '1', end: '10', step: '1' };
      for (const p of ['start', 'end', 'step']) el.attr(p, params[p] ?? defaults[p]);
    }
    if (qtype?.name === 'geopoint') {
      if (params['capture-accuracy']) el.attr('accuracyThreshold', params['capture-accuracy']);
      if (params['warning-accuracy']) el.attr('unacceptableAccuracyThreshold', params['warning-accuracy']);
    }
    const label = textElement(ctx, node, 'label', path, media);
    // The table-list header row shows only its choices, so its label is present but empty.
    el.append(label ?? (node.generated === 'table-header' ? new XmlElement('label', {}, ['']) : null));
    const hint = textElement(ctx, node, 'hint', path, new Map());
    if (hint) el.append(hint);
    if (repeatDefault) parentEl.append(repeatDefault);
    for (const action of triggered.get(node) ?? []) el.append(action);
    if (select) {
      if (select.external) {
        const filter = rowValue(node, 'choice_filter');
        const f = filter
          ? `[${resolveRefs(ctx, node, filter, rowCell(node, 'choice_filter') ?? null, row, 'choice-filter')}]`
          : '';
        el.attr('query', `instance('${select.listName}')/root/item${f}`);
      } else el.append(itemset(ctx, node, select, params));
    }
    parentEl.append(el);
  };

  const triggered = triggerActions(ctx, root);
  for (const child of [...root.children]) bodyOf(child, body);
  if (ctx.issues.length > 0) return { xml: '', fields, entities: null, instanceName: null };
  const primary = instanceNodes(root, false);
  for (const [k, v] of instanceRoot.attributes) primary.attr(k, v);

  // meta
  const meta = new XmlElement('meta', {}, [new XmlElement('instanceID')]);
  if (hasAudit) meta.append(new XmlElement('audit'));
  binds.push(
    new XmlElement('bind', {
      nodeset: `${rootPath}/meta/instanceID`,
      readonly: 'true()',
      type: 'string',
      'jr:preload': 'uid',
    }),
  );
  let instanceName: string | null = null;
  if (settings.instanceName) {
    const { cell, sheet, row } = settings.instanceName;
    instanceName = resolveRefs(ctx, root, cell.value.trim(), cell, row, 'expression', sheet);
    const problem = ctx.issues.length === 0 ? xpathSyntaxError(instanceName) : null;
    if (problem)
      ctx.issues.push(issue('xlsform.bad-expression', sheet, row, cell, `this is not a valid expression: ${problem}`));
    meta.append(new XmlElement('instanceName'));
    binds.push(
      new XmlElement('bind', { nodeset: `${rootPath}/meta/instanceName`, type: 'string', calculate: instanceName }),
    );
  }
  const entities = settings.entities
    ? emitEntities(ctx, settings.entities, meta, binds, modelActions, properties)
    : null;
  primary.append(meta);

  const model = new XmlElement('model', { 'odk:xforms-version': '1.0.0' });
  if (entities) model.attr('entities:entities-version', ENTITIES_VERSION);
  if (settings.submissionUrl || settings.publicKey) {
    const submission = new XmlElement('submission');
    if (settings.submissionUrl) submission.attr('action', settings.submissionUrl);
    if (settings.publicKey) submission.attr('base64RsaPublicKey', settings.publicKey);
    submission.attr('method', 'post');
    model.append(submission);
  }
  const secondary = secondaryInstances(ctx);
  const itext = itextElement(ctx);
  if (itext) model.append(itext);
  model.append(new XmlElement('instance', {}, [primary]), ...secondary, ...binds, ...modelActions);

  const attrs: Record<string, string> = { ...NS };
  if (entities) attrs['xmlns:entities'] = ENTITIES_NS;
  const html = new XmlElement('h:html', attrs, [
    new XmlElement('h:head', {}, [new XmlElement('h:title', {}, [settings.title]), model]),
    body,
  ]);
  return { xml: `<?xml version="1.0"?>\n${html.toString()}\n`, fields, entities, instanceName };
}

/**
 * The `trigger` column (pyxform): a question whose `trigger` names other questions gets its
 * `calculation` written by `<setvalue event="xforms-value-changed">` inside each trigger's body
 * control, so it is recomputed when that answer changes and stays editable otherwise. This is how
 * ODK prefills a follow-up form from the selected entity
 * (`instance('cases')/root/item[name=${case_id}]/needs` triggered by `${case_id}`).
 */
function triggerActions(ctx: Ctx, root: SurveyNode): Map<SurveyNode, XmlElement[]> {
  const actions = new Map<SurveyNode, XmlElement[]>();
  const visit = (node: SurveyNode): void => {
    for (const child of node.children) visit(child);
    const cell = node.kind === 'question' && !node.generated ? rowCell(node, 'trigger') : undefined;
    const raw = cell?.value.trim();
    if (cell === undefined || raw === undefined || raw === '') return;
    const row = node.row?.rowNumber ?? null;
    const value = expression(ctx, node, 'calculation') ?? "''";
    for (const name of raw.split(',').map((part) => part.trim())) {
      const match = /^\$\{([^}]+)\}$/.exec(name);
      const sources = match ? (ctx.byName.get((match[1] as string).trim()) ?? []) : [];
      const source = sources.length === 1 ? sources[0] : undefined;
      if (source === undefined || source.kind !== 'question' || !(source.select || source.qtype?.control)) {
        ctx.issues.push(
          issue(
            'xlsform.bad-trigger',
            ctx.surveySheet,
            row,
            cell,
            `the trigger "${name}" must name one question the user answers, written as \${question_name}`,
          ),
        );
        continue;
      }
      const list = actions.get(source) ?? [];
      list.push(new XmlElement('setvalue', { event: 'xforms-value-changed', ref: pathOf(node), value }));
      actions.set(source, list);
    }
  };
  visit(root);
  return actions;
}

function parseParameters(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const part of raw.split(/[\s;,]+/)) {
    const [k, v] = part.split('=');
    if (k && v !== undefined) out[k.trim().toLowerCase()] = v.trim();
  }
  return out;
}

function itemset(ctx: Ctx, node: SurveyNode, select: SelectType, params: Record<string, string>): XmlElement {
  const row = node.row?.rowNumber ?? null;
  let instanceId = select.listName;
  let valueRef = 'name';
  let labelRef = 'label';
  if (select.fromFile) {
    const file = select.listName;
    instanceId = file.replace(/\.[^.]+$/, '');
    const ext = (/\.([^.]+)$/.exec(file)?.[1] ?? '').toLowerCase();
    ctx.fileInstances.set(instanceId, ext === 'csv' ? `jr://file-csv/${file}` : `jr://file/${file}`);
    valueRef = params['value'] ?? 'name';
    labelRef = params['label'] ?? 'label';
  } else {
    const list = ctx.lists.get(select.listName);
    if (list && listUsesItext(list)) labelRef = 'jr:itext(itextId)';
  }
  const filterRaw = node.generated === 'table-header' ? undefined : rowValue(node, 'choice_filter');
  let filter = '';
  if (filterRaw) {
    const resolved = resolveRefs(ctx, node, filterRaw, rowCell(node, 'choice_filter') ?? null, row, 'choice-filter');
    checkExpression(ctx, node, 'choice_filter', `x[${resolved}]`);
    filter = `[${resolved}]`;
  }
  const el = new XmlElement('itemset', { nodeset: `instance('${instanceId}')/root/item${filter}` }, [
    new XmlElement('value', { ref: valueRef }),
    new XmlElement('label', { ref: labelRef }),
  ]);
  if (params['randomize']) el.attr('randomize', params['randomize']);
  if (params['seed']) el.attr('seed', params['seed']);
  return el;
}

function secondaryInstances(ctx: Ctx): XmlElement[] {
  const out: XmlElement[] = [];
  for (const list of ctx.lists.values()) {
    const itext = listUsesItext(list);
    const root = new XmlElement('root');
    list.choices.forEach((choice, index) => {
      const item = new XmlElement('item');
      if (itext) {
        const id = `${list.name}-${index}`;
        item.append(new XmlElement('itextId', {}, [id]));
        for (const [lang, cell] of choice.labels) addItext(ctx, lang, id, '', [cell.value]);
        for (const [kind, byLang] of choice.media) {
          const prefix = (MEDIA_KINDS.find(([k]) => k === kind) as [string, string, string])[2];
          for (const [lang, cell] of byLang) addItext(ctx, lang, id, kind, [`${prefix}${cell.value.trim()}`]);
        }
      }
      item.append(new XmlElement('name', {}, [choice.name]));
      if (!itext) {
        const label = choice.labels.get(ctx.defaultLanguage);
        if (label) item.append(new XmlElement('label', {}, [label.value]));
      }
      for (const [k, v] of choice.extra) item.append(new XmlElement(k, {}, [v]));
      root.append(item);
    });
    out.push(new XmlElement('instance', { id: list.name }, [root]));
  }
  for (const [id, src] of ctx.fileInstances) out.push(new XmlElement('instance', { id, src }));
  return out;
}

/** Every itext id exists in every language; missing text becomes "-" as pyxform does. */
function itextElement(ctx: Ctx): XmlElement | null {
  if (ctx.itext.size === 0) return null;
  const itext = new XmlElement('itext');
  const langs = [...ctx.itext.keys()];
  const hasLong = new Set<string>();
  for (const byId of ctx.itext.values()) for (const [id, forms] of byId) if (forms.has('')) hasLong.add(id);
  for (const lang of langs) {
    const translation = new XmlElement('translation', { lang });
    if (lang === ctx.defaultLanguage) translation.attr('default', 'true()');
    const byId = ctx.itext.get(lang) as Map<string, Map<string, XmlChild[]>>;
    for (const id of ctx.itextIds) {
      const forms = byId.get(id) ?? new Map<string, XmlChild[]>();
      const text = new XmlElement('text', { id });
      for (const [form, content] of forms) {
        if (form !== '') text.append(new XmlElement('value', { form }, content));
      }
      const long = forms.get('');
      if (long) text.append(new XmlElement('value', {}, long));
      else if (hasLong.has(id)) text.append(new XmlElement('value', {}, ['-']));
      translation.append(text);
    }
    itext.append(translation);
  }
  return itext;
}

// ---------------------------------------------------------------- entities

function emitEntities(
  ctx: Ctx,
  table: SheetTable,
  meta: XmlElement,
  binds: XmlElement[],
  actions: XmlElement[],
  properties: Array<{ property: string; path: string }>,
): EntitiesSpec | null {
  const row = table.rows[0];
  if (!row) return null;
  const root = ctx.root;
  const rootPath = pathOf(root);
  const datasetCell = row.cells.get('list_name');
  const dataset = datasetCell?.value.trim();
  if (!dataset) {
    ctx.issues.push(
      issue(
        'xlsform.entities-no-list',
        table.name,
        row.rowNumber,
        null,
        'the entities sheet needs a list_name: the entity list this form creates or updates',
      ),
    );
    return null;
  }
  if (dataset.startsWith('__') || dataset.includes('.') || !XML_NAME.test(dataset)) {
    ctx.issues.push(
      issue(
        'xlsform.entities-bad-list',
        table.name,
        row.rowNumber,
        datasetCell ?? null,
        `"${dataset}" is not a valid entity list name`,
      ),
    );
  }
  const expr = (key: string): { value: string; cell: Cell } | null => {
    const cell = row.cells.get(key);
    if (!cell || cell.value.trim() === '') return null;
    const before = ctx.issues.length;
    const value = resolveRefs(ctx, root, cell.value.trim(), cell, row.rowNumber, 'expression', table.name);
    const problem = ctx.issues.length === before ? xpathSyntaxError(value) : null;
    if (problem)
      ctx.issues.push(
        issue('xlsform.bad-expression', table.name, row.rowNumber, cell, `this is not a valid expression: ${problem}`),
      );
    return { value, cell };
  };
  const label = expr('label');
  const entityId = expr('entity_id');
  const createIf = expr('create_if');
  const updateIf = expr('update_if');
  const creates = !entityId || createIf !== null;
  const updates = entityId !== null;
  if (creates && !label) {
    ctx.issues.push(
      issue(
        'xlsform.entities-no-label',
        table.name,
        row.rowNumber,
        null,
        'a form that creates entities needs a label column on the entities sheet',
      ),
    );
  }
  const entityPath = `${rootPath}/meta/entity`;
  const entity = new XmlElement('entity', { dataset, id: '' });
  if (creates) {
    entity.attr('create', '1');
    if (createIf)
      binds.push(
        new XmlElement('bind', {
          nodeset: `${entityPath}/@create`,
          calculate: createIf.value,
          type: 'string',
          readonly: 'true()',
        }),
      );
  }
  if (updates) {
    entity.attr('update', '1');
    entity.attr('baseVersion', '').attr('trunkVersion', '').attr('branchId', '');
    if (updateIf)
      binds.push(
        new XmlElement('bind', {
          nodeset: `${entityPath}/@update`,
          calculate: updateIf.value,
          type: 'string',
          readonly: 'true()',
        }),
      );
  }
  if (creates) {
    actions.push(
      new XmlElement('setvalue', { event: 'odk-instance-first-load', ref: `${entityPath}/@id`, value: 'uuid()' }),
    );
  }
  if (entityId) {
    binds.push(
      new XmlElement('bind', {
        nodeset: `${entityPath}/@id`,
        calculate: entityId.value,
        type: 'string',
        readonly: 'true()',
      }),
    );
    const item = `instance('${dataset}')/root/item[name=${entityId.value}]`;
    binds.push(
      new XmlElement('bind', {
        nodeset: `${entityPath}/@baseVersion`,
        calculate: `${item}/__version`,
        type: 'string',
        readonly: 'true()',
      }),
    );
    binds.push(
      new XmlElement('bind', {
        nodeset: `${entityPath}/@trunkVersion`,
        calculate: `${item}/__trunkVersion`,
        type: 'string',
        readonly: 'true()',
      }),
    );
    binds.push(
      new XmlElement('bind', {
        nodeset: `${entityPath}/@branchId`,
        calculate: `${item}/__branchId`,
        type: 'string',
        readonly: 'true()',
      }),
    );
  } else {
    binds.push(new XmlElement('bind', { nodeset: `${entityPath}/@id`, type: 'string', readonly: 'true()' }));
  }
  if (label) {
    entity.append(new XmlElement('label'));
    binds.push(
      new XmlElement('bind', {
        nodeset: `${entityPath}/label`,
        calculate: label.value,
        type: 'string',
        readonly: 'true()',
      }),
    );
  }
  meta.append(entity);
  return {
    dataset,
    label: label?.value ?? null,
    entityId: entityId?.value ?? null,
    createIf: createIf?.value ?? null,
    updateIf: updateIf?.value ?? null,
    properties,
  };
}
