import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresTestDatabase } from '@outpost/test-kit';
import type { PostgresTestDatabase } from '@outpost/test-kit';
import { announceListChange, postgresChangeSource } from './changeNotices.js';
import type { ChangeSource } from './changeNotices.js';
import { openStore, withSavepoint } from './store.js';
import type { Store } from './store.js';

let database: PostgresTestDatabase;
let writer: Store;
let otherProcess: ChangeSource;
const heard: string[] = [];
let onHeard: () => void = () => {};

beforeAll(async () => {
  database = await createPostgresTestDatabase();
  writer = await openStore({ databaseUrl: database.url, sqlitePath: ':memory:' });
  otherProcess = await postgresChangeSource(database.url);
  otherProcess.subscribe((listId) => {
    heard.push(listId);
    onHeard();
  });
});

afterAll(async () => {
  await otherProcess.close();
  await writer.close();
  await database.drop();
});

/** Commits a transaction that announces `marker`, then the notices heard up to that marker. */
async function heardThrough(marker: string): Promise<string[]> {
  const arrived = new Promise<void>((resolve) => {
    onHeard = () => {
      if (heard.includes(marker)) resolve();
    };
  });
  await writer.transaction((tx) => announceListChange(marker, tx));
  await arrived;
  return heard.splice(0, heard.length);
}

describe('change notices between server processes (PostgreSQL)', () => {
  it('tells the other process of every list a committed batch changed, whatever the items did', async () => {
    await writer.transaction(async (tx) => {
      await withSavepoint(tx, async () => {
        await announceListChange('households', tx);
        await announceListChange('households', tx);
      });
      await withSavepoint(tx, () => announceListChange('visits', tx));
      // An item that is rolled back after changing a list, then one that changes it again.
      await expect(
        withSavepoint(tx, async () => {
          await announceListChange('members', tx);
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      await withSavepoint(tx, () => announceListChange('members', tx));
      await announceListChange('households', tx);
    });
    expect((await heardThrough('marker-1')).sort()).toEqual(['households', 'marker-1', 'members', 'visits']);
  });

  it('tells nothing of a transaction that rolled back, nor of an item rolled back alone', async () => {
    await expect(
      writer.transaction(async (tx) => {
        await announceListChange('households', tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await writer.transaction(async (tx) => {
      await withSavepoint(
        tx,
        () => announceListChange('visits', tx),
        () => false,
      );
    });
    expect(await heardThrough('marker-2')).toEqual(['marker-2']);
  });
});
