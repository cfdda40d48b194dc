import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkZipBounds } from '../xlsform/zipBounds.js';
import { compileInWorker, workbookLimits } from './compileInWorker.js';

// Issue 9, point 7: XLSForm uploads are bounded and compiled off the event loop. The worker runs
// the built code: `npx tsc -b` before these tests (npm test builds first).
const registration = new Uint8Array(
  readFileSync(
    new URL('../../../../templates/mongolia-social-protection/forms/household_registration.xlsx', import.meta.url),
  ),
);

/** A one-file zip whose entry declares `declaredSize` and holds `content` deflated. */
function zipOf(content: Buffer, declaredSize = content.length): Uint8Array {
  const name = Buffer.from('xl/workbook.xml');
  const data = deflateRawSync(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declaredSize, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declaredSize, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(0, 42);
  const directoryOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(directoryOffset, 16);
  return new Uint8Array(Buffer.concat([local, name, data, central, name, end]));
}

async function workbookWithQuestions(n: number): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const survey = book.addWorksheet('survey');
  survey.addRow(['type', 'name', 'label']);
  for (let i = 0; i < n; i++) survey.addRow(['text', `q${i}`, `Question ${i}`]);
  book.addWorksheet('settings').addRows([
    ['form_id', 'version'],
    ['big', '1'],
  ]);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

describe('checkZipBounds', () => {
  it('passes a real workbook and refuses a bomb by its declared size before inflating it', () => {
    expect(checkZipBounds(registration, workbookLimits)).toMatchObject({ ok: true });
    const bomb = zipOf(Buffer.alloc(workbookLimits.maxUnpackedBytes + 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect(checkZipBounds(bomb, workbookLimits)).toMatchObject({ ok: false, tooLarge: true });
  });

  it('stops an entry that inflates past the size it declares at that size', () => {
    const liar = zipOf(Buffer.alloc(30 * 1024 * 1024), 1000);
    expect(checkZipBounds(liar, workbookLimits)).toMatchObject({ ok: false, tooLarge: false });
  });
});

describe('compileInWorker', () => {
  it('compiles a shipped template in a worker, engine check included', async () => {
    const compiled = await compileInWorker('household_registration.xlsx', registration);
    expect(compiled.ok).toBe(true);
    if (compiled.ok) expect(compiled.form.formId).toBe('mn_household_registration');
  }, 60_000);

  it('refuses a zip bomb (form.too-large) and a lying archive (not an .xlsx)', async () => {
    const bomb = await compileInWorker('bomb.xlsx', zipOf(Buffer.alloc(64 * 1024 * 1024)));
    expect(bomb).toMatchObject({ ok: false, code: 'form.too-large' });
    const liar = await compileInWorker('liar.xlsx', zipOf(Buffer.alloc(64 * 1024 * 1024), 1000));
    expect(liar).toMatchObject({ ok: false, code: 'form.invalid', errors: [{ code: 'xlsform.not-xlsx' }] });
  }, 60_000);

  it('refuses a 20,000-question workbook as too large', async () => {
    const big = await workbookWithQuestions(20_000);
    const result = await compileInWorker('big.xlsx', big);
    expect(result).toMatchObject({ ok: false, code: 'form.too-large' });
    if (!result.ok && result.code === 'form.too-large') expect(result.detail).toContain('3000');
  }, 60_000);

  it('stops a compile that runs past its time limit', async () => {
    const result = await compileInWorker('household_registration.xlsx', registration, { timeLimitMs: 1 });
    expect(result).toMatchObject({ ok: false, code: 'form.too-complex' });
    // The next compile is not held up by the stopped one.
    const next = await compileInWorker('household_registration.xlsx', registration);
    expect(next.ok ? null : next).toBeNull();
  }, 60_000);
});
