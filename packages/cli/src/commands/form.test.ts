import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProject, migrate, openStore } from '@outpost/server';
import { templates } from '@outpost/templates';
import { run } from '../program.js';
import { captureIo } from '../cliIo.test-support.js';

const registration = new URL(
  '../../../../templates/mongolia-social-protection/forms/household_registration.xlsx',
  import.meta.url,
);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-form-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A survey with a misspelt reference on row 3. */
async function brokenWorkbook(file: string): Promise<void> {
  const book = new ExcelJS.Workbook();
  const survey = book.addWorksheet('survey');
  survey.addRow(['type', 'name', 'label', 'calculation']);
  survey.addRow(['text', 'name', 'Name']);
  survey.addRow(['calculate', 'greeting', '', 'concat("Hi ", ${nmae})']);
  await book.xlsx.writeFile(file);
}

const version = templates['mongolia-social-protection']?.definitions.find(
  (d) => d.formId === 'mn_household_registration',
)?.version;

describe('outpost form compile', () => {
  it('writes the XForm to standard output or to --out', async () => {
    const io = captureIo();
    expect(await run(['form', 'compile', registration.pathname], io)).toBe(0);
    expect(io.stdout()).toContain(`<data id="mn_household_registration" version="${version}">`);

    const out = path.join(dir, 'registration.xml');
    const quiet = captureIo();
    expect(await run(['form', 'compile', registration.pathname, '--out', out], quiet)).toBe(0);
    expect(quiet.stdout()).toBe('');
    expect(readFileSync(out, 'utf8')).toContain('entities:entities-version="2024.1.0"');
  });

  it('lists each error with its sheet, row and column and exits 1', async () => {
    const file = path.join(dir, 'broken.xlsx');
    await brokenWorkbook(file);
    const io = captureIo();
    expect(await run(['form', 'compile', file], io)).toBe(1);
    expect(io.stdout()).toBe('');
    const lines = io.stderr().split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^${file}: survey sheet, row 3, column "calculation" \\(D\\): .*nmae`)),
    );
    expect(lines.filter((l) => l.includes('survey sheet, row'))).toHaveLength(1);
  });

  it('prints warnings with sheet, row and column and still writes the XForm', async () => {
    const file = path.join(dir, 'warned.xlsx');
    const book = new ExcelJS.Workbook();
    const survey = book.addWorksheet('survey');
    survey.addRow(['type', 'name', 'label', 'disabled']);
    survey.addRow(['text', 'name', 'Name', '']);
    survey.addRow(['text', 'old', 'Old', 'yes']);
    await book.xlsx.writeFile(file);
    const io = captureIo();
    expect(await run(['form', 'compile', file], io)).toBe(0);
    expect(io.stdout()).toContain('<h:html');
    expect(io.stdout()).not.toContain('/old');
    expect(io.stderr().trim()).toBe(
      `warning: ${file}: survey sheet, row 3, column "disabled" (D): the disabled column is not part of the XLSForm spec any more; use relevant instead (this row is left out)`,
    );
  });

  it.each([
    ['missing.xlsx', null, 'no such file'],
    ['old.xls', 'anything', 'old Excel 97-2003'],
    ['notes.xlsx', 'just some text', 'not an Excel workbook'],
  ])('explains in one line why %s cannot be compiled', async (name, content, why) => {
    const file = path.join(dir, name);
    if (content !== null) writeFileSync(file, content);
    const io = captureIo();
    expect(await run(['form', 'compile', file], io)).toBe(1);
    expect(io.stderr().trim().split('\n')).toHaveLength(1);
    expect(io.stderr()).toContain(why);
  });
});

describe('outpost form publish', () => {
  it('stores a new version in the project named by slug, and nothing twice', async () => {
    const store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
    await migrate(store);
    await createProject({ slug: 'bayanzurkh', name: 'Bayanzürkh' }, store);
    await store.close();

    const io = captureIo();
    const args = ['form', 'publish', registration.pathname, '--project', 'bayanzurkh', '--data-dir', dir];
    expect(await run(args, io), io.stderr()).toBe(0);
    expect(io.stdout()).toBe(`Published mn_household_registration version ${version} to bayanzurkh.\n`);
    const again = captureIo();
    expect(await run(args, again)).toBe(0);
    expect(again.stdout()).toContain('already published');

    const nowhere = captureIo();
    expect(
      await run(['form', 'publish', registration.pathname, '--project', 'nowhere', '--data-dir', dir], nowhere),
    ).toBe(1);
    expect(nowhere.stderr()).toContain('no project "nowhere"');
  }, 30_000);

  it('stores the media files the form names, says which are missing, and refuses a stray one', async () => {
    const store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
    await migrate(store);
    await createProject({ slug: 'bayanzurkh', name: 'Bayanzürkh' }, store);
    await store.close();
    const book = new ExcelJS.Workbook();
    book.addWorksheet('survey').addRows([
      ['type', 'name', 'label', 'image', 'audio'],
      ['note', 'map', 'Map', 'газрын-зураг.png', ''],
      ['text', 'say', 'Say', '', 'ask.mp3'],
    ]);
    book.addWorksheet('settings').addRows([
      ['form_id', 'version'],
      ['media_cli', '1'],
    ]);
    const workbook = path.join(dir, 'media.xlsx');
    await book.xlsx.writeFile(workbook);
    const image = path.join(dir, 'газрын-зураг.png');
    writeFileSync(image, Buffer.from('\x89PNG\r\n\x1a\n-map-', 'latin1'));
    const stray = path.join(dir, 'stray.png');
    writeFileSync(stray, 'stray');
    const base = ['form', 'publish', workbook, '--project', 'bayanzurkh', '--data-dir', dir, '--media'];

    const refused = captureIo();
    expect(await run([...base, image, stray], refused)).toBe(1);
    expect(refused.stderr()).toContain('"stray.png"');
    expect(refused.stderr()).toContain('"ask.mp3"');

    const io = captureIo();
    expect(await run([...base, image], io), io.stderr()).toBe(0);
    expect(io.stdout()).toContain('Published media_cli version 1 to bayanzurkh.');
    expect(io.stdout()).toContain('Media stored: газрын-зураг.png.');
    expect(io.stdout()).toContain('not given (publish again with --media to add them): ask.mp3.');
  }, 30_000);
});
