import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../program.js';
import { captureIo, templateForm } from '../cliIo.test-support.js';

const registration = templateForm('mongolia-social-protection', 'household_registration');

let dir: string;
let db: string[];
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-export-cli-'));
  db = ['--data-dir', dir];
  expect(await run(['seed', '--template', 'mongolia-social-protection', '--cases', '2', ...db], captureIo())).toBe(0);
  expect(await run(['form', 'publish', registration, '--project', 'bayanzurkh', ...db], captureIo())).toBe(0);
}, 120_000);
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('outpost export', () => {
  it('writes the .csv.zip of a form to --out', async () => {
    const out = path.join(dir, 'registrations.csv.zip');
    const io = captureIo();
    const args = ['export', '--project', 'bayanzurkh', '--form', 'mn_household_registration', '--format', 'csv'];
    expect(await run([...args, '--out', out, ...db], io), io.stderr()).toBe(0);
    expect(io.stdout()).toContain('of mn_household_registration to');
    const files = unzipSync(new Uint8Array(readFileSync(out)));
    expect(strFromU8(files['mn_household_registration.csv'] ?? new Uint8Array())).toMatch(/^SubmissionDate,/);
  });

  it('labels the columns in the language of --lang', async () => {
    const out = path.join(dir, 'registrations-mn.csv.zip');
    const io = captureIo();
    const args = ['export', '--project', 'bayanzurkh', '--form', 'mn_household_registration', '--format', 'csv'];
    expect(await run([...args, '--lang', 'mn', '--out', out, ...db], io), io.stderr()).toBe(0);
    const files = unzipSync(new Uint8Array(readFileSync(out)));
    const header = strFromU8(files['mn_household_registration.csv'] ?? new Uint8Array()).split('\r\n')[0] ?? '';
    expect(header.split(',')).toContain('Хүйс');
    expect(header).not.toContain('head_sex');
    const bad = captureIo();
    expect(await run([...args, '--lang', 'fr', '--out', out, ...db], bad)).toBe(1);
    expect(bad.stderr()).toContain('--lang');
  });

  it('names an unknown form and leaves no file behind', async () => {
    const out = path.join(dir, 'x.xlsx');
    const io = captureIo();
    const args = ['export', '--project', 'bayanzurkh', '--form', 'nope', '--format', 'xlsx', '--out', out, ...db];
    expect(await run(args, io)).toBe(1);
    expect(io.stderr()).toContain('no form "nope" in bayanzurkh');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });
});
