import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../program.js';
import { captureIo, templateForm } from '../cliIo.test-support.js';

const registration = templateForm('mongolia-social-protection', 'household_registration');

interface Item {
  id: string;
  label: string;
  properties: Record<string, string>;
}

let dir: string;
let db: string[];
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-import-'));
  db = ['--data-dir', dir];
  expect(await run(['seed', '--template', 'mongolia-social-protection', '--cases', '3', ...db], captureIo())).toBe(0);
  expect(await run(['form', 'publish', registration, '--project', 'bayanzurkh', ...db], captureIo())).toBe(0);
}, 120_000);
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function all(query = ''): Promise<Item[]> {
  const io = captureIo();
  expect(await run(['cases', 'search', '--project', 'bayanzurkh', '--json', '--limit', '1000', ...db, query], io)).toBe(
    0,
  );
  return JSON.parse(io.stdout()) as Item[];
}

async function importFile(file: string): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await run(['cases', 'import', '--project', 'bayanzurkh', '--list', 'cases', ...db, file], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

const header = 'label,head_given_name,head_fathers_name,head_dob,head_sex,aimag,soum,bag,needs';

describe('outpost cases import', () => {
  it('imports a CSV register: Cyrillic kept, placed in its khoroo, found by search', async () => {
    const file = path.join(dir, 'register.csv');
    writeFileSync(
      file,
      `\uFEFF${header}\n` +
        'Д. Бат-Эрдэнэ,Бат-Эрдэнэ,Доржийн,1950-03-04,male,MN11,MN1110,MN111051,heating_winter food\n' +
        '"Б. Цэцэгмаа, ахмад",Цэцэгмаа,Болдын,1988-11-30,female,MN11,MN1110,MN111053,\n',
    );
    const result = await importFile(file);
    expect(result.err).toBe('');
    expect(result.out).toContain('2 new, 0 updated');
    const found = await all('bat erdene');
    expect(found.map((c) => c.label)).toContain('Д. Бат-Эрдэнэ');
    const inKhoroo = await all('area:MN111053');
    expect(inKhoroo.map((c) => c.label)).toEqual(['Б. Цэцэгмаа, ахмад']);
    expect((await all()).length).toBe(5);
  });

  it('refuses a bad file whole, naming each problem’s row and column, and imports nothing', async () => {
    const file = path.join(dir, 'bad.csv');
    writeFileSync(
      file,
      `${header},shoe_size\n` +
        'Д. Бат,Бат,Доржийн,1950-02-30,male,MN11,MN1110,MN111051,heating_winter,40\n' +
        ',Болд,Болдын,1970-01-01,other,MN11,MN1110,MN999999,food\n',
    );
    const result = await importFile(file);
    expect(result.code).toBe(1);
    expect(result.err).toContain('row 1, "shoe_size" (J): "shoe_size" is not a property of this list');
    expect(result.err).toContain('row 2, "head_dob" (D): "1950-02-30" is not a date');
    expect(result.err).toContain('row 3, "label" (A): the label is empty');
    expect(result.err).toContain('row 3, "head_sex" (E): "other" is not one of the choices');
    expect(result.err).toContain('row 3, "bag" (H): "MN999999" is not one of the choices');
    expect(result.err).toContain('nothing imported');
    expect((await all()).length).toBe(3);
  });

  it('updates cases named by __id from an .xlsx; a blank cell leaves the property as it was', async () => {
    const [first] = await all();
    if (first === undefined) throw new Error('no case');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('cases');
    sheet.addRow(['__id', 'label', 'needs', 'head_given_name']);
    sheet.addRow([first.id, 'Renamed', 'food', '']);
    const file = path.join(dir, 'update.xlsx');
    await book.xlsx.writeFile(file);
    const result = await importFile(file);
    expect(result.err).toBe('');
    expect(result.out).toContain('0 new, 1 updated');
    const after = (await all()).find((c) => c.id === first.id);
    expect(after?.label).toBe('Renamed');
    expect(after?.properties['needs']).toBe('food');
    expect(after?.properties['head_given_name']).toBe(first.properties['head_given_name']);
  });

  it('refuses an unknown __id and a file that is not a register', async () => {
    const file = path.join(dir, 'unknown.csv');
    writeFileSync(file, '__id,label\n00000000-0000-4000-8000-000000000000,X\n');
    const unknown = await importFile(file);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('row 2, "__id" (A): no case 00000000-0000-4000-8000-000000000000 in this list');
    const text = path.join(dir, 'notes.txt');
    writeFileSync(text, 'hello');
    const wrong = await importFile(text);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('a register is imported from a .csv or .xlsx file');
  });
});

describe('outpost cases import, bounded', () => {
  it('refuses a damaged .xlsx before unpacking it', async () => {
    const file = path.join(dir, 'broken.xlsx');
    writeFileSync(file, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64)]));
    const result = await importFile(file);
    expect(result.code).toBe(1);
    expect(result.err).toContain('The archive is damaged');
    expect((await all()).length).toBe(3);
  });
});
