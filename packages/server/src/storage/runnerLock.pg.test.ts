import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresTestDatabase } from '@outpost/test-kit';
import type { PostgresTestDatabase } from '@outpost/test-kit';
import { withRunnerLock } from './runnerLock.js';
import type { Store } from './store.js';
import { openStore } from './store.js';

let database: PostgresTestDatabase;
let processOne: Store;
let processTwo: Store;

beforeAll(async () => {
  database = await createPostgresTestDatabase();
  processOne = await openStore({ databaseUrl: database.url, sqlitePath: ':memory:' });
  processTwo = await openStore({ databaseUrl: database.url, sqlitePath: ':memory:' });
});

afterAll(async () => {
  await processOne.close();
  await processTwo.close();
  await database.drop();
});

describe('one runner of a job across server processes', () => {
  it('lets one process run the backlog while the other skips its turn, and the next turn is free again', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = withRunnerLock('entity-backlog', processOne, async () => {
      await held;
      return 'one';
    });
    // Give the first its lock before the second asks.
    await new Promise((r) => setTimeout(r, 200));
    expect(await withRunnerLock('entity-backlog', processTwo, () => Promise.resolve('two'))).toEqual({ ran: false });
    // Another job is not blocked by it.
    expect(await withRunnerLock('other-job', processTwo, () => Promise.resolve('two'))).toEqual({
      ran: true,
      value: 'two',
    });
    release();
    expect(await first).toEqual({ ran: true, value: 'one' });
    expect(await withRunnerLock('entity-backlog', processTwo, () => Promise.resolve('two'))).toEqual({
      ran: true,
      value: 'two',
    });
  });

  it('frees the lock when the run fails', async () => {
    await expect(withRunnerLock('entity-backlog', processOne, () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(await withRunnerLock('entity-backlog', processTwo, () => Promise.resolve(2))).toEqual({
      ran: true,
      value: 2,
    });
  });
});
