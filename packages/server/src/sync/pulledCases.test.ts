import { beforeEach, describe, expect, it } from 'vitest';
import type { AreaRef, CatalogueForm, PolicyActor, PolicyCatalogue, Role } from '@outpost/core';
import { policyCatalogue, propertyJsonOf, redactorFor } from '@outpost/core';
import type { SyncEntityRow } from '../storage/queries/sync.js';
import type { Store } from '../storage/store.js';
import { LruCache } from './lruCache.js';
import { forgetPulledCases, pulledCasesFor } from './pulledCases.js';
import { redactRecord } from './syncReach.js';

// What a pulled case becomes is kept per process for every reader with the same view: each test
// changes one input of a redaction and expects what a fresh redaction gives, never the kept one.

const SP = 'sp-bayanzurkh';
const khoroo1 = '/ub/bzd/bzd-01/';

function field(path: string, type: string, sensitivity: string | null, saveTo: string) {
  const name = path.split('/').pop() ?? path;
  return { path, name, type, labels: { default: name }, sensitivity, saveTo, repeat: false };
}

function householdForm(incomeClass: string): CatalogueForm {
  return {
    fields: [
      field('/data/household/head_name', 'text', 'identifying', 'head_name'),
      field('/data/household/income', 'integer', incomeClass, 'income'),
      field('/data/household/size', 'integer', null, 'size'),
      field('/data/household/location', 'geopoint', 'location', 'geometry'),
    ],
    entities: {
      dataset: 'households',
      label: 'concat( /data/household/head_name )',
      entityId: null,
      createIf: null,
      updateIf: null,
      properties: [],
    },
  };
}

function areas(districtName: string): AreaRef[] {
  return [
    { id: 'ub', level: 'aimag', code: 'MN11', name: 'Ulaanbaatar', depth: 1 },
    { id: 'bzd', level: 'soum', code: 'MN1101', name: districtName, depth: 2 },
    { id: 'bzd-01', level: 'bag', code: 'MN110101', name: 'Khoroo 1', depth: 3 },
  ];
}

const catalogue = policyCatalogue([householdForm('sensitive')], areas('Bayanzürkh'));

function member(userId: string, role: Role, path: string | null, projects?: PolicyActor['projects']): PolicyActor {
  const scopes = [path === null ? { kind: 'project' as const } : { kind: 'area' as const, path }];
  return { userId, role, memberships: [{ projectId: SP, role, scopes }], ...(projects ? { projects } : {}) };
}

const bold = member('bold', 'fieldworker', khoroo1);
const dulmaa = member('dulmaa', 'fieldworker', khoroo1);
const oyuna = member('oyuna', 'supervisor', '/ub/bzd/');
const tsetseg = member('tsetseg', 'analyst', null);
const donor = member('donor', 'partner', null);
const donorWithSoums = member('donor', 'partner', null, {
  [SP]: { overrides: [{ role: 'partner', locationPrecision: { areaLevel: 'soum' } }] },
});

function household(overrides: Partial<SyncEntityRow> = {}): SyncEntityRow {
  return {
    id: 'hh-1',
    list: 'households',
    label: 'Бат-Эрдэнэ Дорж',
    properties: {
      head_name: 'Бат-Эрдэнэ Дорж',
      income: '350000',
      size: '5',
      geometry: '47.918512 106.917734 1350.5 4.2',
    },
    version: 1,
    seq: 10,
    status: 'open',
    area_id: 'bzd-01',
    area_path: khoroo1,
    team: null,
    assignee_id: 'bold',
    conflict: null,
    categories: ['disability'],
    updated_at: '2026-03-05T02:15:00.000Z',
    ...overrides,
  };
}

const store = {} as Store;

/** What the pull sends of `row`, read (with `read`) only when nothing is kept for it. */
async function pulled(
  actor: PolicyActor,
  row: SyncEntityRow,
  options: { catalogue?: PolicyCatalogue; store?: Store; read?: () => readonly SyncEntityRow[] } = {},
) {
  const cases = pulledCasesFor({ actor, projectId: SP }, options.catalogue ?? catalogue, options.store ?? store);
  const [got] = await cases([row], async () => (options.read === undefined ? [row] : options.read()));
  if (got === undefined || got === null) throw new Error(`${row.id} was not found whole`);
  return got;
}

/** What the page sent before anything was kept: a redaction of its own. */
function fresh(actor: PolicyActor, row: SyncEntityRow, with_: PolicyCatalogue = catalogue) {
  return redactRecord({ projectId: SP }, row, redactorFor(actor, SP, with_));
}

beforeEach(() => forgetPulledCases());

describe('pulled cases kept per view', () => {
  it('gives every reader what a fresh redaction gives, the first time and from the cache', async () => {
    const rows = [
      household(),
      household({ id: 'hh-2', seq: 11, properties: { size: '3' } }),
      household({ id: 'hh-3', seq: 12, team: 'a', categories: [], conflict: 'soft' }),
    ];
    for (let round = 0; round < 2; round++) {
      for (const actor of [bold, oyuna, tsetseg, donor, donorWithSoums]) {
        for (const row of rows) {
          const expected = fresh(actor, row);
          const got = await pulled(actor, row);
          expect(got.properties).toEqual(expected);
          expect(got.values).toEqual(propertyJsonOf(expected));
        }
      }
    }
  });

  it('redacts a case once for readers who see it alike, and apart for a reader who sees less', async () => {
    const row = household();
    expect(await pulled(dulmaa, row)).toBe(await pulled(bold, row));
    expect((await pulled(tsetseg, row)).properties).not.toHaveProperty('head_name');
    expect((await pulled(bold, row)).properties).toHaveProperty('head_name', 'Бат-Эрдэнэ Дорж');
  });

  it('redacts again after a role change', async () => {
    const row = household();
    expect((await pulled(bold, row)).properties).toHaveProperty('head_name');
    const demoted = member('bold', 'analyst', khoroo1);
    expect((await pulled(demoted, row)).properties).toEqual(fresh(demoted, row));
    expect((await pulled(demoted, row)).properties).not.toHaveProperty('head_name');
  });

  it('redacts again when the project hides a class from the role', async () => {
    const row = household();
    expect((await pulled(bold, row)).properties).toHaveProperty('income', '350000');
    const hidden = member('bold', 'fieldworker', khoroo1, {
      [SP]: { overrides: [{ role: 'fieldworker', sensitivity: { sensitive: 'hide' } }] },
    });
    expect((await pulled(hidden, row)).properties).not.toHaveProperty('income');
    expect((await pulled(hidden, row)).properties).not.toHaveProperty('__categories', 'disability');
  });

  it('redacts again when the project changes the role’s location precision', async () => {
    const row = household();
    const coarse = (await pulled(donorWithSoums, row)).properties;
    const finer = member('donor', 'partner', null, {
      [SP]: { overrides: [{ role: 'partner', locationPrecision: { areaLevel: 'bag' } }] },
    });
    expect((await pulled(finer, row)).properties).toEqual(fresh(finer, row));
    expect((await pulled(finer, row)).properties['geometry']).not.toEqual(coarse['geometry']);
  });

  it('redacts again with a new catalogue (a form version that reclassifies a field)', async () => {
    const row = household();
    expect((await pulled(donor, row)).properties).not.toHaveProperty('income');
    const reclassified = policyCatalogue([householdForm('normal')], areas('Bayanzürkh'));
    expect((await pulled(donor, row, { catalogue: reclassified })).properties).toHaveProperty('income', '350000');
  });

  it('redacts again with a new catalogue (a renamed area)', async () => {
    const row = household();
    expect(String((await pulled(donorWithSoums, row)).properties['geometry'])).toContain('Bayanzürkh');
    const renamed = policyCatalogue([householdForm('sensitive')], areas('Баянзүрх'));
    const got = (await pulled(donorWithSoums, row, { catalogue: renamed })).properties;
    expect(got).toEqual(fresh(donorWithSoums, row, renamed));
    expect(String(got['geometry'])).toContain('Баянзүрх');
  });

  it('sends a new version of a case as it now is', async () => {
    expect((await pulled(bold, household())).properties).toHaveProperty('size', '5');
    const next = household({ version: 2, seq: 20, properties: { ...household().properties, size: '6' } });
    expect((await pulled(bold, next)).properties).toHaveProperty('size', '6');
  });

  it('sends the new area path of a case whose area was moved (same case version)', async () => {
    expect((await pulled(bold, household())).properties).toHaveProperty('__areaPath', khoroo1);
    const moved = household({ area_path: '/ub/bzd/bzd-01/x/' });
    expect((await pulled(bold, moved)).properties).toHaveProperty('__areaPath', '/ub/bzd/bzd-01/x/');
  });

  it('keeps the cases of two databases apart', async () => {
    const other = {} as Store;
    expect((await pulled(bold, household())).properties).toHaveProperty('size', '5');
    const there = household({ properties: { size: '2' } });
    expect((await pulled(bold, there, { store: other })).properties).toHaveProperty('size', '2');
  });

  it('reads a case whole only when nothing is kept for its version and view', async () => {
    const row = household();
    const reads: string[] = [];
    const reading = (r: SyncEntityRow) => () => (reads.push(`${r.id}@${r.seq}`), [r]);
    await pulled(bold, row, { read: reading(row) });
    await pulled(dulmaa, row, { read: reading(row) });
    expect(reads).toEqual(['hh-1@10']);
    const next = household({ version: 2, seq: 20 });
    await pulled(bold, next, { read: reading(next) });
    await pulled(tsetseg, next, { read: reading(next) });
    expect(reads).toEqual(['hh-1@10', 'hh-1@20', 'hh-1@20']);
  });

  it('sends nothing of a version written again before it was read whole, and keeps nothing of it', async () => {
    const head = household();
    const cases = pulledCasesFor({ actor: bold, projectId: SP }, catalogue, store);
    const newer = household({ version: 2, seq: 20, properties: { size: '9' } });
    expect(await cases([head], async () => [newer])).toEqual([null]);
    expect(await cases([head], async () => [])).toEqual([null]);
    const [got] = await cases([head], async () => [head]);
    expect(got?.properties).toHaveProperty('size', '5');
  });

  it('refuses a case the reader may not read, as redaction does', async () => {
    await expect(pulled(bold, household({ area_path: '/ub/bzd/bzd-02/' }))).rejects.toThrow(/may not read/);
  });
});

describe('LruCache', () => {
  it('drops the least recently used past its count', () => {
    const cache = new LruCache<number>({ entries: 2, bytes: 1000 });
    cache.set('a', 1, 10);
    cache.set('b', 2, 10);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3, 10);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('drops the least recently used past its bytes, and keeps nothing larger than them', () => {
    const cache = new LruCache<number>({ entries: 10, bytes: 100 });
    cache.set('a', 1, 60);
    cache.set('b', 2, 30);
    cache.set('c', 3, 30);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toEqual({ entries: 2, bytes: 60 });
    cache.set('huge', 4, 101);
    expect(cache.get('huge')).toBeUndefined();
    cache.set('b', 5, 40);
    expect(cache.size).toEqual({ entries: 2, bytes: 70 });
    expect(cache.get('b')).toBe(5);
  });
});
