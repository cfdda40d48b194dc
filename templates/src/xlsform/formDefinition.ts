/**
 * A readable source for one XLSForm workbook. `formSheets` turns it into the rows of the
 * survey / choices / settings / entities sheets exactly as https://xlsform.org describes them;
 * scripts/build-forms.mjs writes those rows to .xlsx.
 */
export type LanguageCode = 'mn' | 'en' | 'tpi';

/** Text per language; the form's `languages` decide which columns are written. */
export type Labels = Partial<Record<LanguageCode, string>>;

export interface FormLanguage {
  code: LanguageCode;
  /** English name as XLSForm wants it in `label::Name (code)`. */
  name: string;
}

/**
 * Outpost's own survey-sheet column: what the policy module must protect in this field.
 * identifying = names, ID numbers, phones; location = GPS and addresses below soum/ward;
 * sensitive = vulnerability, needs, health, violence, income.
 */
export type Sensitivity = 'identifying' | 'location' | 'sensitive';

export interface SurveyRow {
  type: string;
  name?: string;
  label?: Labels;
  hint?: Labels;
  required?: boolean;
  requiredMessage?: Labels;
  relevant?: string;
  constraint?: string;
  constraintMessage?: Labels;
  calculation?: string;
  /**
   * `${question}` whose change writes `calculation` into this question (pyxform's trigger
   * column): how a follow-up form prefills an answer from the chosen entity and keeps it editable.
   */
  trigger?: string;
  appearance?: string;
  choiceFilter?: string;
  default?: string;
  parameters?: string;
  readOnly?: boolean;
  repeatCount?: string;
  /** Entity property this field writes (entities sheet of the same form). */
  saveTo?: string;
  sensitivity?: Sensitivity;
}

export interface Choice {
  name: string;
  label: Labels;
  /** Extra columns: cascading-select filters (`aimag`, `soum`) or data such as `scientific_name`. */
  columns?: Record<string, string>;
}

export interface ChoiceList {
  listName: string;
  choices: Choice[];
}

export interface EntityDeclaration {
  listName: string;
  /** XPath expression; required when the form creates entities. */
  label?: string;
  /** Set when the form updates an existing entity, e.g. `${case_id}`. */
  entityId?: string;
  createIf?: string;
  updateIf?: string;
}

export interface FormDefinition {
  /** Path of the .xlsx relative to the templates package root. */
  file: string;
  formId: string;
  title: Labels;
  version: string;
  languages: FormLanguage[];
  defaultLanguage: LanguageCode;
  instanceName?: string;
  survey: SurveyRow[];
  choices: ChoiceList[];
  entities?: EntityDeclaration;
}
