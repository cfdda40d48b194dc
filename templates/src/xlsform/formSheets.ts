import type { FormDefinition, FormLanguage, Labels, SurveyRow } from './formDefinition.js';

/** One worksheet as rows of cells; '' is an empty cell. Row 0 is the header. */
export interface SheetTable {
  name: string;
  rows: string[][];
}

type TextColumn = 'label' | 'hint' | 'required_message' | 'constraint_message';
type PlainColumn =
  | 'type'
  | 'name'
  | 'required'
  | 'relevant'
  | 'constraint'
  | 'calculation'
  | 'trigger'
  | 'appearance'
  | 'choice_filter'
  | 'default'
  | 'parameters'
  | 'read_only'
  | 'repeat_count'
  | 'save_to'
  | 'sensitivity';

const plainValue: Record<PlainColumn, (row: SurveyRow) => string | undefined> = {
  type: (r) => r.type,
  name: (r) => r.name,
  required: (r) => (r.required ? 'yes' : undefined),
  relevant: (r) => r.relevant,
  constraint: (r) => r.constraint,
  calculation: (r) => r.calculation,
  trigger: (r) => r.trigger,
  appearance: (r) => r.appearance,
  choice_filter: (r) => r.choiceFilter,
  default: (r) => r.default,
  parameters: (r) => r.parameters,
  read_only: (r) => (r.readOnly ? 'yes' : undefined),
  repeat_count: (r) => r.repeatCount,
  save_to: (r) => r.saveTo,
  sensitivity: (r) => r.sensitivity,
};

const textValue: Record<TextColumn, (row: SurveyRow) => Labels | undefined> = {
  label: (r) => r.label,
  hint: (r) => r.hint,
  required_message: (r) => r.requiredMessage,
  constraint_message: (r) => r.constraintMessage,
};

// Column order follows the xlsform.org template so a human opening the file finds things where
// they expect; columns no row uses are left out.
const surveyLayout: Array<{ plain: PlainColumn } | { text: TextColumn }> = [
  { plain: 'type' },
  { plain: 'name' },
  { text: 'label' },
  { text: 'hint' },
  { plain: 'required' },
  { text: 'required_message' },
  { plain: 'relevant' },
  { plain: 'constraint' },
  { text: 'constraint_message' },
  { plain: 'calculation' },
  { plain: 'trigger' },
  { plain: 'appearance' },
  { plain: 'choice_filter' },
  { plain: 'default' },
  { plain: 'parameters' },
  { plain: 'read_only' },
  { plain: 'repeat_count' },
  { plain: 'save_to' },
  { plain: 'sensitivity' },
];

export function languageColumn(column: string, language: FormLanguage): string {
  return `${column}::${language.name} (${language.code})`;
}

function surveySheet(form: FormDefinition): SheetTable {
  const header: string[] = [];
  const getters: Array<(row: SurveyRow) => string> = [];
  for (const entry of surveyLayout) {
    if ('plain' in entry) {
      const get = plainValue[entry.plain];
      if (!form.survey.some((r) => get(r) !== undefined)) continue;
      header.push(entry.plain);
      getters.push((r) => get(r) ?? '');
    } else {
      const get = textValue[entry.text];
      if (!form.survey.some((r) => get(r) !== undefined)) continue;
      for (const language of form.languages) {
        header.push(languageColumn(entry.text, language));
        getters.push((r) => get(r)?.[language.code] ?? '');
      }
    }
  }
  return { name: 'survey', rows: [header, ...form.survey.map((r) => getters.map((g) => g(r)))] };
}

function choicesSheet(form: FormDefinition): SheetTable {
  const extra: string[] = [];
  for (const list of form.choices) {
    for (const choice of list.choices) {
      for (const key of Object.keys(choice.columns ?? {})) if (!extra.includes(key)) extra.push(key);
    }
  }
  const header = ['list_name', 'name', ...form.languages.map((l) => languageColumn('label', l)), ...extra];
  const rows = form.choices.flatMap((list) =>
    list.choices.map((c) => [
      list.listName,
      c.name,
      ...form.languages.map((l) => c.label[l.code] ?? ''),
      ...extra.map((key) => c.columns?.[key] ?? ''),
    ]),
  );
  return { name: 'choices', rows: [header, ...rows] };
}

function settingsSheet(form: FormDefinition): SheetTable {
  const defaultLanguage = form.languages.find((l) => l.code === form.defaultLanguage);
  if (defaultLanguage === undefined) throw new Error(`${form.formId}: default language not among languages`);
  const title = form.title[form.defaultLanguage] ?? form.formId;
  const header = ['form_title', 'form_id', 'version', 'default_language'];
  const row = [title, form.formId, form.version, `${defaultLanguage.name} (${defaultLanguage.code})`];
  if (form.instanceName !== undefined) {
    header.push('instance_name');
    row.push(form.instanceName);
  }
  return { name: 'settings', rows: [header, row] };
}

function entitiesSheet(form: FormDefinition): SheetTable | undefined {
  const e = form.entities;
  if (e === undefined) return undefined;
  const cells: Array<[string, string | undefined]> = [
    ['list_name', e.listName],
    ['label', e.label],
    ['entity_id', e.entityId],
    ['create_if', e.createIf],
    ['update_if', e.updateIf],
  ];
  const used = cells.filter((c): c is [string, string] => c[1] !== undefined);
  return { name: 'entities', rows: [used.map((c) => c[0]), used.map((c) => c[1])] };
}

/** The sheets of the XLSForm workbook for `form`, in workbook order. */
export function formSheets(form: FormDefinition): SheetTable[] {
  const sheets = [surveySheet(form), choicesSheet(form), settingsSheet(form)];
  const entities = entitiesSheet(form);
  if (entities !== undefined) sheets.push(entities);
  return sheets;
}

/** Names of the entity properties the form writes (its `save_to` column). */
export function saveToTargets(form: FormDefinition): string[] {
  return form.survey.flatMap((r) => (r.saveTo === undefined ? [] : [r.saveTo]));
}
