import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresTestStore } from '@outpost/test-kit';
import type { PostgresTestStore } from '@outpost/test-kit';
import { publishForm } from '../forms/publishForm.js';
import { findEntity, listEntities } from '../storage/queries/entities.js';
import { lockEntities } from '../storage/queries/locks.js';
import { createProject } from '../storage/queries/projects.js';
import { importCases } from './importCases.js';

// On PostgreSQL, where other processes write the same cases, an import that updates cases takes
// their locks first, as every other writer of a case does: it waits for a transaction that holds
// one of them instead of interleaving with it.

const registration = new URL(
  '../../../../templates/mongolia-social-protection/forms/household_registration.xlsx',
  import.meta.url,
);

let postgres: PostgresTestStore;
let projectId: string;

beforeAll(async () => {
  postgres = await openPostgresTestStore();
  projectId = (await createProject({ slug: 'register', name: 'Register' }, postgres.store)).id;
  const published = await publishForm(
    { projectId, fileName: 'household_registration.xlsx', bytes: readFileSync(registration), actorId: null },
    postgres.store,
  );
  if (!published.ok) throw new Error(published.detail);
}, 60_000);

afterAll(async () => {
  await postgres?.close();
});

function csv(text: string) {
  return {
    projectId,
    listName: 'cases',
    fileName: 'register.csv',
    bytes: new TextEncoder().encode(text),
    actorId: null,
  };
}

describe('case import on PostgreSQL', () => {
  it('creates cases, then updates one only after a transaction holding its lock has ended', async () => {
    const { store } = postgres;
    const created = await importCases(csv('label,head_given_name\nД. Бат-Эрдэнэ,Бат-Эрдэнэ\n'), store);
    expect(created).toMatchObject({ ok: true, created: 1, updated: 0 });
    const [entity] = (await listEntities(projectId, { limit: 10, offset: 0 }, store)).items;
    if (entity === undefined) throw new Error('no case');

    const order: string[] = [];
    let release = (): void => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked = (): void => {};
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holder = store.transaction(async (tx) => {
      await lockEntities([entity.id], tx);
      locked();
      await held;
      order.push('holder committed');
    });
    await lockTaken;
    const update = importCases(csv(`__id,label\n${entity.id},Д. Бат-Эрдэнэ (шинэчилсэн)\n`), store).then((r) => {
      order.push('import done');
      return r;
    });
    // Let the import reach its lock; it must still be waiting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(order).toEqual([]);
    release();
    await holder;
    expect(await update).toMatchObject({ ok: true, created: 0, updated: 1 });
    expect(order).toEqual(['holder committed', 'import done']);
    expect((await findEntity(entity.id, store))?.label).toBe('Д. Бат-Эрдэнэ (шинэчилсэн)');
  }, 60_000);
});
