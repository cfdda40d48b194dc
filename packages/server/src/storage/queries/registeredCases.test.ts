import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore } from '@outpost/test-kit';
import type { Store } from '../store.js';
import { upsertAreas } from './areas.js';
import type { Area } from './areas.js';
import { caseHistory } from './caseHistory.js';
import { countEntities, ensureEntityList, findEntity, insertEntity, listEntities } from './entities.js';
import { createProject } from './projects.js';
import { insertRegisteredCases } from './registeredCases.js';
import type { RegisteredCase } from './registeredCases.js';

const AT = '2026-03-01T01:00:00.000Z';

function registered(i: number, area: Area): RegisteredCase {
  return {
    id: `case-${i}`,
    label: i % 2 === 0 ? `Б. Сарнай ${i}` : `Б. Болд ${i}`,
    properties: { head_given_name: i % 2 === 0 ? 'Сарнай' : 'Болд', bag: area.code, household_size: String(i % 7) },
    areaId: area.id,
    submissionId: `uuid:registration-${i}`,
    createdBy: null,
    at: AT,
  };
}

describe('insertRegisteredCases: many cases stored at once, as their registrations leave them', () => {
  let store: Store;
  let projectId: string;
  let listId: string;
  let khoroo1: Area;
  let khoroo2: Area;

  beforeEach(async () => {
    store = await openTestStore();
    projectId = (await createProject({ slug: 'bulk', name: 'Bulk' }, store)).id;
    const areas = await upsertAreas(
      projectId,
      '2024',
      [
        { code: 'MN1110', parentCode: null, level: 'district', names: { en: 'Bayanzürkh' } },
        { code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 1' } },
        { code: 'MN111052', parentCode: 'MN1110', level: 'khoroo', names: { en: 'Khoroo 2' } },
      ],
      store,
    );
    khoroo1 = areas.find((a) => a.code === 'MN111051')!;
    khoroo2 = areas.find((a) => a.code === 'MN111052')!;
    listId = (await ensureEntityList(projectId, 'cases', store)).id;
  });
  afterEach(async () => {
    await store.close();
  });

  it('stores every case (more than one statement holds) at version 1 in its area, found by area and by a Cyrillic label search, with its registration in the history', async () => {
    const cases = Array.from({ length: 1_201 }, (_, i) => registered(i, i % 3 === 0 ? khoroo2 : khoroo1));
    await insertRegisteredCases(listId, cases, store);

    expect(await countEntities(projectId, {}, store)).toBe(1_201);
    expect(await countEntities(projectId, { areaIds: [khoroo2.id] }, store)).toBe(401);
    const found = await listEntities(projectId, { q: 'сарнай 120', limit: 50, offset: 0 }, store);
    expect(found.items.map((e) => e.label).sort()).toEqual(['Б. Сарнай 120', 'Б. Сарнай 1200']);

    const one = await findEntity('case-7', store);
    expect(one).toMatchObject({
      label: 'Б. Болд 7',
      version: 1,
      status: 'open',
      area_id: khoroo1.id,
      properties: { head_given_name: 'Болд', bag: 'MN111051', household_size: '0' },
      categories: [],
      created_at: AT,
      deleted_at: null,
    });
    const history = await caseHistory('case-7', [], store);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      version: 1,
      submission_id: 'uuid:registration-7',
      data_received: { label: 'Б. Болд 7', head_given_name: 'Болд', bag: 'MN111051', household_size: '0' },
    });
  });

  it('gives the cases the next commit sequences in order, and a case written afterwards the one after them', async () => {
    const before = await insertEntity({ listId, label: 'earlier', areaId: khoroo1.id }, store);
    await insertRegisteredCases(
      listId,
      Array.from({ length: 600 }, (_, i) => registered(i, khoroo1)),
      store,
    );
    const after = await insertEntity({ listId, label: 'later', areaId: khoroo1.id }, store);

    expect((await findEntity('case-0', store))?.seq).toBe(before.seq + 1);
    expect((await findEntity('case-599', store))?.seq).toBe(before.seq + 600);
    expect(after.seq).toBe(before.seq + 601);
  });

  it('stores none of the cases when one of them cannot be stored (an id already taken)', async () => {
    const before = await insertEntity({ id: 'case-550', listId, label: 'already here', areaId: khoroo1.id }, store);
    await expect(
      insertRegisteredCases(
        listId,
        Array.from({ length: 600 }, (_, i) => registered(i, khoroo1)),
        store,
      ),
    ).rejects.toThrow();

    expect(await countEntities(projectId, {}, store)).toBe(1);
    expect(await findEntity('case-0', store)).toBeUndefined();
    expect(await caseHistory('case-0', [], store)).toEqual([]);
    const after = await insertEntity({ listId, label: 'later', areaId: khoroo1.id }, store);
    expect(after.seq).toBe(before.seq + 1);
  });
});
