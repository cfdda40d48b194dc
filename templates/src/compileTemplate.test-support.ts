import { fileURLToPath } from 'node:url';
import { readFormWorkbook } from '../scripts/writeFormWorkbook.mjs';
import type { FormDefinition } from './index.js';
import { templateFileUrl } from './index.js';

// Only the shapes this test reads from @outpost/core's XLSForm compiler.
interface Workbook {
  sheets: Array<{ name: string; rows: Array<{ rowNumber: number; cells: Array<{ column: string; value: string }> }> }>;
}
interface Compiled {
  ok: boolean;
  xform?: string;
  errors?: unknown[];
  form?: {
    formId: string;
    fields: Array<{ name: string; sensitivity: string | null }>;
    entities: { dataset: string; properties: Array<{ property: string }> } | null;
  };
}
type Compile = (workbook: Workbook, options: { fileName: string }) => Compiled;

// core exports the compiler once the lead wires packages/core/src/xlsform into its index; until
// then these checks skip rather than fail.
const core: Record<string, unknown> = await import('@outpost/core');
export const compileXlsform = core['compileXlsform'] as Compile | undefined;

function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Compiles a template's committed workbook with core's XLSForm compiler. */
export async function compile(form: FormDefinition): Promise<Compiled> {
  const sheets = await readFormWorkbook(fileURLToPath(templateFileUrl(form.file)));
  const workbook: Workbook = {
    sheets: sheets.map((s) => ({
      name: s.name,
      rows: s.rows.map((row, i) => ({
        rowNumber: i + 1,
        cells: row.flatMap((value, c) => (value === '' ? [] : [{ column: columnLetter(c), value }])),
      })),
    })),
  };
  if (compileXlsform === undefined) throw new Error('compileXlsform is not exported by @outpost/core');
  return compileXlsform(workbook, { fileName: form.file.split('/').pop() ?? form.file });
}
