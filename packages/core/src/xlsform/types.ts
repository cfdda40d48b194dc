/** A spreadsheet as the server reader hands it over: every cell already a string, empty cells absent. */
export interface Workbook {
  sheets: Array<{
    name: string;
    rows: Array<{ rowNumber: number; cells: Array<{ column: string; value: string }> }>;
  }>;
}

/** A problem found in the workbook, located well enough for a form author to find the cell. */
export interface CompileIssue {
  code: string;
  sheet: string;
  row: number | null;
  /** `"header" (letter)` when known, e.g. `"calculation" (F)`. */
  column: string | null;
  message: string;
}

export interface FieldInfo {
  /** Instance path, e.g. `/data/household/head_name`. */
  path: string;
  name: string;
  type: string;
  /** Label text per language; a form without translations uses the key `default`. */
  labels: Record<string, string>;
  sensitivity: string | null;
  saveTo: string | null;
  /** True when the field sits inside a repeat (it may occur many times per submission). */
  repeat: boolean;
}

export interface EntitiesSpec {
  dataset: string;
  /** The label expression after `${}` references were resolved; null when the form only updates. */
  label: string | null;
  entityId: string | null;
  createIf: string | null;
  updateIf: string | null;
  /** Survey fields saved to entity properties (`save_to`). */
  properties: Array<{ property: string; path: string }>;
  /**
   * The repeat whose instances each carry a `meta/entity` block (one entity per instance, entities
   * spec 2025.1.0), e.g. `/data/members`; null (or absent, in forms stored before) for the survey's
   * own `meta/entity`. Property paths lie inside it.
   */
  repeat?: string | null;
}

export interface FormSummary {
  formId: string;
  version: string;
  title: string;
  defaultLanguage: string | null;
  languages: string[];
  instanceName: string | null;
  fields: FieldInfo[];
  /** The first entity list the form writes to (row order of the entities sheet); see `entityLists`. */
  entities: EntitiesSpec | null;
  /** Every entity list the form writes to; absent in forms stored before several lists existed. */
  entityLists?: EntitiesSpec[];
}

export type CompileResult =
  { ok: true; xform: string; form: FormSummary; warnings: CompileIssue[] } | { ok: false; errors: CompileIssue[] };

export interface CompileOptions {
  /** The uploaded file's name; its stem is the default form id and title, as in pyxform. */
  fileName?: string;
  /** Name of the primary instance's root element (pyxform's `form_name`); default `data`. */
  formName?: string;
}
