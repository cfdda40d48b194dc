import { searchSchemaFromFields, type AreaEntry, type FieldInfo, type SearchSchema } from '@outpost/core';
import type { ChoiceLabels, FormWords } from '../forms/formVocabulary.js';

/** Which case properties the overview and the list read, found by the names the templates give them. */
export interface CaseRoles {
  readonly risk: string | null;
  readonly lastVisit: string | null;
  readonly nextVisit: string | null;
  /** Other follow-up dates (review due, referral follow-up): overdue like the next visit. */
  readonly dueDates: readonly string[];
}

/** What the device knows about one entity list from the forms it holds. */
export interface CaseListSchema {
  readonly list: string;
  readonly search: SearchSchema;
  /** The area units the list's choices name, with their parents (`aimag` column of a soum …). */
  readonly areas: readonly AreaEntry[];
  readonly roles: CaseRoles;
  /** Choice labels by property and value, in every language the forms have. */
  readonly choices: ReadonlyMap<string, ReadonlyMap<string, ChoiceLabels>>;
  /** Each form's default language, for a choice without a label in the chosen one. */
  readonly defaultLanguage: string;
}

const RISK = /(^|_)(risk_level|risk|priority)$/;
const LAST_VISIT = /^last_visit(_date)?$/;
const NEXT_VISIT = /^next_visit(_date)?$/;
const DUE = /(^|_)(review_due|follow_?up|due)(_date)?$/;

/**
 * The search schema and the roles of a list's properties, from the forms that save to it: the same
 * rules as core's `searchSchemaFromFields` on the server, read here from the XForms the device holds.
 */
export function caseListSchema(forms: readonly FormWords[], list: string): CaseListSchema {
  const fields: FieldInfo[] = [];
  const choices = new Map<string, Map<string, ChoiceLabels>>();
  const columns = new Map<string, Map<string, Readonly<Record<string, string>>>>();
  let defaultLanguage = '';
  for (const form of forms) {
    if (form.dataset !== list) continue;
    defaultLanguage ||= form.defaultLanguage;
    for (const saved of form.saved) {
      fields.push({
        path: saved.property,
        name: saved.property,
        type: saved.type,
        labels: {},
        sensitivity: null,
        saveTo: saved.property,
        repeat: false,
      });
    }
    for (const [property, byValue] of form.properties) {
      const known = choices.get(property) ?? new Map<string, ChoiceLabels>();
      for (const [value, labels] of byValue) known.set(value, { ...known.get(value), ...labels });
      choices.set(property, known);
    }
    for (const [property, byValue] of form.choiceColumns) {
      const known = columns.get(property) ?? new Map<string, Readonly<Record<string, string>>>();
      for (const [value, cells] of byValue) known.set(value, cells);
      columns.set(property, known);
    }
  }
  const search = searchSchemaFromFields(fields);
  const types = new Map(fields.map((f) => [f.saveTo ?? '', f.type]));
  const dates = [...types].filter(([, type]) => type === 'date').map(([name]) => name);
  return {
    list,
    search,
    areas: areaEntries(search.areaFields, choices, columns),
    roles: {
      risk: [...types.keys()].find((name) => RISK.test(name)) ?? null,
      lastVisit: dates.find((name) => LAST_VISIT.test(name)) ?? null,
      nextVisit: dates.find((name) => NEXT_VISIT.test(name)) ?? null,
      dueDates: dates.filter((name) => DUE.test(name) && !NEXT_VISIT.test(name)),
    },
    choices,
    defaultLanguage,
  };
}

/** Area units from the area properties' choices; a unit's parent is its choice's column named after the level above. */
function areaEntries(
  areaFields: readonly string[],
  choices: ReadonlyMap<string, ReadonlyMap<string, ChoiceLabels>>,
  columns: ReadonlyMap<string, ReadonlyMap<string, Readonly<Record<string, string>>>>,
): AreaEntry[] {
  const out: AreaEntry[] = [];
  areaFields.forEach((field, level) => {
    const above = areaFields[level - 1];
    for (const [code, labels] of choices.get(field) ?? []) {
      const parent = above === undefined ? undefined : columns.get(field)?.get(code)?.[above];
      out.push({
        code,
        parentCode: parent === undefined || parent === '' ? null : parent,
        names: Object.values(labels).filter((name) => name !== ''),
      });
    }
  });
  return out;
}

/** A choice's label in `language`, else in the forms' default language, else any; undefined when no form names it. */
export function choiceLabel(
  schema: CaseListSchema,
  property: string,
  value: string,
  language: string,
): string | undefined {
  const labels = schema.choices.get(property)?.get(value);
  if (labels === undefined) return undefined;
  const found = labels[language] ?? labels[schema.defaultLanguage] ?? labels[''];
  return found !== undefined && found !== '' ? found : Object.values(labels).find((label) => label !== '');
}
