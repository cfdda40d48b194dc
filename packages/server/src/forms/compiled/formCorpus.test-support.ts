// The XForms the differential tests judge instances of: every template form and every pyxform
// fixture workbook our XLSForm compiler accepts (include.xlsx and include_json.xlsx splice in other
// files and bad_calc.xlsx is meant to fail: those are refused, so they have no XForm).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileXlsform } from '@outpost/core';
import { readWorkbook } from '../../xlsform/readWorkbook.js';

export interface CorpusForm {
  name: string;
  xform: string;
}

const repo = new URL('../../../../../', import.meta.url);
const fixtures = fileURLToPath(new URL('fixtures/xlsform/pyxform/example/', repo));
const templatesDir = fileURLToPath(new URL('templates/', repo));

export async function formCorpus(): Promise<CorpusForm[]> {
  const files: Array<{ name: string; bytes: Uint8Array }> = [];
  for (const template of readdirSync(templatesDir, { withFileTypes: true })) {
    if (!template.isDirectory()) continue;
    const forms = `${templatesDir}${template.name}/forms/`;
    for (const file of existsSync(forms) ? readdirSync(forms).filter((f) => f.endsWith('.xlsx')) : []) {
      files.push({ name: `${template.name}/${file.replace(/\.xlsx$/, '')}`, bytes: readFileSync(`${forms}${file}`) });
    }
  }
  for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.xlsx'))) {
    files.push({ name: `pyxform/${file.replace(/\.xlsx$/, '')}`, bytes: readFileSync(`${fixtures}${file}`) });
  }
  const out: CorpusForm[] = [];
  for (const { name, bytes } of files) {
    const read = await readWorkbook(bytes, `${name}.xlsx`);
    if (!read.ok) continue;
    const compiled = compileXlsform(read.workbook, { fileName: `${name.split('/').pop() ?? name}.xlsx` });
    if (compiled.ok) out.push({ name, xform: compiled.xform });
  }
  return out;
}
