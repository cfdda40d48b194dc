import type { CompileIssue, Workbook } from './types.js';

/** One cell of a data row, remembered with its header so errors can name it. */
export interface Cell {
  value: string;
  header: string;
  letter: string;
}

/** A data row keyed by canonical column key (`label`, `label::english`, `bind:saveIncomplete`, `media:image::chinese`). */
export interface SheetRow {
  sheet: string;
  rowNumber: number;
  cells: Map<string, Cell>;
}

export interface SheetTable {
  name: string;
  rows: SheetRow[];
}

type Sheet = Workbook['sheets'][number];

/** The bind attribute pyxform translates through itext, like the constraint message. */
export const NO_APP_ERROR_STRING = 'bind:jr:noAppErrorString';
const TRANSLATABLE = new Set(['label', 'hint', 'guidance_hint', 'constraint_message', 'required_message']);
const MEDIA = new Set(['image', 'audio', 'video', 'big-image']);

const WHOLE_HEADER_ALIASES: Record<string, string> = {
  'list name': 'list_name',
  dataset: 'list_name',
  'bind:relevant': 'relevant',
  relevance: 'relevant',
  'bind:constraint': 'constraint',
  'bind:required': 'required',
  'bind:calculate': 'calculation',
  calculate: 'calculation',
  'bind:readonly': 'read_only',
  readonly: 'read_only',
  'bind:jr:constraintmsg': 'constraint_message',
  'jr:constraintmsg': 'constraint_message',
  'constraint message': 'constraint_message',
  constraintmsg: 'constraint_message',
  'constraint-msg': 'constraint_message',
  'bind:jr:requiredmsg': 'required_message',
  'jr:requiredmsg': 'required_message',
  requiredmsg: 'required_message',
  'required message': 'required_message',
  'jr:count': 'repeat_count',
  count: 'repeat_count',
  'repeat count': 'repeat_count',
  'control:appearance': 'appearance',
  'choice filter': 'choice_filter',
  'bind:jr:noapperrorstring': 'bind:jr:noAppErrorString',
  noapperrorstring: 'bind:jr:noAppErrorString',
  'jr:noapperrorstring': 'bind:jr:noAppErrorString',
  'guidance hint': 'guidance_hint',
  'save to': 'save_to',
  'entity id': 'entity_id',
  'create if': 'create_if',
  'update if': 'update_if',
  'form title': 'form_title',
  'form id': 'form_id',
  'default language': 'default_language',
  'instance name': 'instance_name',
  'public key': 'public_key',
  'submission url': 'submission_url',
};

/** Maps a header to its canonical key, as pyxform's dealias_and_group_headers does. */
export function canonicalHeader(header: string, doubleColons: boolean): string {
  const trimmed = header.trim();
  const lower = trimmed.toLowerCase();
  const whole = WHOLE_HEADER_ALIASES[lower];
  if (whole) return whole;
  const parts = doubleColons ? trimmed.split('::') : trimmed.split(':');
  const head = (parts[0] ?? '').trim().toLowerCase();
  const rest = parts.slice(1).map((p) => p.trim());
  if (head === 'bind' && rest.length > 0) {
    // bind::jr:noAppErrorString::English: the one bind attribute pyxform translates.
    const first = WHOLE_HEADER_ALIASES[(rest[0] as string).toLowerCase()];
    if (doubleColons && rest.length > 1 && first === NO_APP_ERROR_STRING)
      return `${NO_APP_ERROR_STRING}::${rest.slice(1).join(':')}`;
    const attr = rest.join(':');
    const aliased = WHOLE_HEADER_ALIASES[`bind:${attr.toLowerCase()}`] ?? WHOLE_HEADER_ALIASES[attr.toLowerCase()];
    return aliased ?? `bind:${attr}`;
  }
  if ((head === 'body' || head === 'control') && rest.length > 0) {
    const attr = rest.join(':');
    return attr.toLowerCase() === 'appearance' ? 'appearance' : `body:${attr}`;
  }
  if (head === 'instance' && rest.length > 0) return `instance:${rest.join(':')}`;
  if (head === 'media' && rest.length > 0) {
    const kind = (rest[0] as string).toLowerCase();
    return rest.length > 1 ? `media:${kind}::${rest.slice(1).join(':')}` : `media:${kind}`;
  }
  if (MEDIA.has(head)) return rest.length > 0 ? `media:${head}::${rest.join(':')}` : `media:${head}`;
  const base = WHOLE_HEADER_ALIASES[head] ?? head;
  if (TRANSLATABLE.has(base) && rest.length > 0) return `${base}::${rest.join(':')}`;
  if (rest.length > 0) return `${base}::${rest.join(':')}`;
  return base;
}

/** Smart quotes to straight and runs of spaces to one, as pyxform's clean_text_values does. */
function cleanText(value: string): string {
  return value
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/ {2,}/g, ' ');
}

/** Where reading a sheet reports: the same header twice is an error; two aliases of one column a warning. */
export interface SheetReport {
  errors: CompileIssue[];
  warnings: CompileIssue[];
}

/** Rows keyed by canonical column. */
export function readSheet(sheet: Sheet, report: SheetReport, cleanValues = true): SheetTable {
  const sorted = [...sheet.rows].sort((a, b) => a.rowNumber - b.rowNumber);
  const headerRow = sorted.find((r) => r.cells.some((c) => c.value.trim() !== ''));
  if (!headerRow) return { name: sheet.name, rows: [] };
  const headers = new Map<string, { header: string; key: string }>();
  const doubleColons = headerRow.cells.some((c) => c.value.includes('::'));
  for (const cell of headerRow.cells) {
    const header = cell.value.trim();
    if (header === '') continue;
    const key = canonicalHeader(header, doubleColons);
    const other = [...headers.values()].find((h) => h.key === key)?.header;
    if (other !== undefined) {
      // The same header twice is refused; two spellings of one column (an alias) keep the first.
      const same = other.toLowerCase() === header.toLowerCase();
      (same ? report.errors : report.warnings).push({
        code: same ? 'xlsform.duplicate-column' : 'xlsform.alias-column',
        sheet: sheet.name,
        row: headerRow.rowNumber,
        column: `"${header}" (${cell.column})`,
        message: `${sheet.name} sheet, row ${headerRow.rowNumber}, column "${header}" (${cell.column}): ${
          same
            ? 'this column header appears twice; rename or remove one of them'
            : `this column is another name for "${other}" and is ignored; remove one of them`
        }`,
      });
      continue;
    }
    headers.set(cell.column, { header, key });
  }
  const rows: SheetRow[] = [];
  for (const row of sorted) {
    if (row.rowNumber <= headerRow.rowNumber) continue;
    const cells = new Map<string, Cell>();
    for (const cell of row.cells) {
      const h = headers.get(cell.column);
      if (!h) continue;
      const value = cleanValues ? cleanText(cell.value) : cell.value;
      if (value.trim() === '') continue;
      cells.set(h.key, { value, header: h.header, letter: cell.column });
    }
    if (cells.size > 0) rows.push({ sheet: sheet.name, rowNumber: row.rowNumber, cells });
  }
  return { name: sheet.name, rows };
}

export function cellText(row: SheetRow, key: string): string | undefined {
  const v = row.cells.get(key)?.value.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** `label` -> { default: ..., english: ... } for the translatable field `base` of a row. */
export function translations(row: SheetRow, base: string, defaultLanguage: string): Map<string, Cell> {
  const out = new Map<string, Cell>();
  for (const [key, cell] of row.cells) {
    if (key === base) out.set(defaultLanguage, cell);
    else if (key.startsWith(`${base}::`)) out.set(key.slice(base.length + 2), cell);
  }
  // A plain column and a column in the default language are the same text; the explicit one wins.
  return out;
}
