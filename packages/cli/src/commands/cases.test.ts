import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ageOn, latinize, parseDate } from '@outpost/core';
import { run } from '../program.js';
import { captureIo, templateForm } from '../cliIo.test-support.js';

const registration = templateForm('mongolia-social-protection', 'household_registration');

interface Item {
  id: string;
  label: string;
  properties: Record<string, string>;
}

let dir: string;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-cases-'));
  const db = ['--data-dir', dir];
  expect(await run(['seed', '--template', 'mongolia-social-protection', '--cases', '80', ...db], captureIo())).toBe(0);
  expect(await run(['form', 'publish', registration, '--project', 'bayanzurkh', ...db], captureIo())).toBe(0);
}, 120_000);
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function search(args: string[]): Promise<Item[]> {
  const io = captureIo();
  const code = await run(['cases', 'search', '--project', 'bayanzurkh', '--json', '--data-dir', dir, ...args], io);
  expect(code, io.stderr()).toBe(0);
  return JSON.parse(io.stdout()) as Item[];
}

describe('outpost cases search', () => {
  it('finds a household by the Latin spelling of its Cyrillic name, best match first', async () => {
    const all = await search(['--limit', '1000']);
    expect(all.length).toBe(80);
    const wanted = all[17];
    if (wanted === undefined) throw new Error('no case');
    const given = wanted.properties['head_given_name'] ?? '';
    const hits = await search([latinize(given)]);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]?.properties['head_given_name']).toBe(given);
    expect(hits.map((h) => h.id)).toContain(wanted.id);
    for (const key of ['id', 'label', 'properties']) expect(hits[0]).toHaveProperty(key);
  });

  it('filters by age, area and needs given as flags or inside the query, with the same result', async () => {
    const all = await search(['--limit', '1000']);
    const today = parseDate('2026-12-07');
    const elderly = (c: Item): boolean => {
      const dob = parseDate(c.properties['head_dob'] ?? '');
      return dob !== null && today !== null && ageOn(dob, today) >= 60;
    };
    const heating = (c: Item): boolean => (c.properties['needs'] ?? '').split(' ').includes('heating_winter');
    const khoroo = all.find((c) => elderly(c) && heating(c))?.properties['bag'] ?? '';
    expect(khoroo).not.toBe('');
    const inText = await search([
      `age:60+ area:${khoroo} needs:heating_winter`,
      '--today',
      '2026-12-07',
      '--limit',
      '1000',
    ]);
    const asFlags = await search([
      '--age',
      '60+',
      '--area',
      khoroo,
      '--needs',
      'heating_winter',
      '--today',
      '2026-12-07',
      '--limit',
      '1000',
    ]);
    expect(asFlags.map((h) => h.id)).toEqual(inText.map((h) => h.id));
    const expected = all.filter((c) => c.properties['bag'] === khoroo && heating(c) && elderly(c));
    expect(expected.length).toBeGreaterThan(0);
    expect(inText.map((h) => h.id).sort()).toEqual(expected.map((c) => c.id).sort());
  });

  it('says what is wrong with a query it cannot read', async () => {
    const io = captureIo();
    const code = await run(['cases', 'search', '--project', 'bayanzurkh', '--data-dir', dir, 'naeds:food'], io);
    expect(code).toBe(1);
    expect(io.stderr()).toContain('unknown filter "naeds:"');
    const noProject = captureIo();
    expect(await run(['cases', 'search', '--project', 'nowhere', '--data-dir', dir, 'x'], noProject)).toBe(1);
    expect(noProject.stderr()).toContain('no project "nowhere"');
  });
});
