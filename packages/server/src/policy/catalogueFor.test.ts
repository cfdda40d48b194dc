import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertAreas } from '../storage/queries/areas.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';
import { catalogueFor } from './catalogueFor.js';

// Catalogues are kept by a stamp of what they are built from; an admin's edit of the area list
// that keeps its version and size (a rename, a move) must still give a new catalogue.

let store: Store;
let projectId: string;

beforeAll(async () => {
  store = await openStore({ databaseUrl: null, sqlitePath: ':memory:' });
  await migrate(store);
  projectId = (await createProject({ slug: 'stamp', name: 'Stamp' }, store)).id;
});

afterAll(async () => {
  await store.close();
});

describe('catalogueFor', () => {
  it('names an area as the admin last wrote it, in the same list version', async () => {
    const write = (name: string, parentCode: string | null) =>
      upsertAreas(
        projectId,
        '2024',
        [
          { code: 'MN11', parentCode: null, level: 'aimag', names: { en: 'Ulaanbaatar' } },
          { code: 'MN1110', parentCode: 'MN11', level: 'district', names: { en: 'Bayanzürkh' } },
          { code: 'MN111051', parentCode, level: 'khoroo', names: { en: name } },
        ],
        store,
      );
    const areas = await write('Khoroo 1', 'MN1110');
    const khoroo = areas.find((a) => a.code === 'MN111051')?.id ?? '';
    expect((await catalogueFor(projectId, store)).areas.get(khoroo)?.name).toBe('Khoroo 1');
    await write('1-р хороо', 'MN1110');
    expect((await catalogueFor(projectId, store)).areas.get(khoroo)?.name).toBe('1-р хороо');
    await write('1-р хороо', 'MN11');
    expect((await catalogueFor(projectId, store)).areas.get(khoroo)?.depth).toBe(2);
    // Inside a transaction that renames it twice (a counter's later counts are written at the commit).
    await store.transaction(async (tx) => {
      const rename = (name: string) =>
        upsertAreas(
          projectId,
          '2024',
          [{ code: 'MN111051', parentCode: 'MN11', level: 'khoroo', names: { en: name } }],
          tx,
        );
      await rename('Хороо нэг');
      expect((await catalogueFor(projectId, tx)).areas.get(khoroo)?.name).toBe('Хороо нэг');
      await rename('Нэгдүгээр хороо');
      expect((await catalogueFor(projectId, tx)).areas.get(khoroo)?.name).toBe('Нэгдүгээр хороо');
    });
  });
});
