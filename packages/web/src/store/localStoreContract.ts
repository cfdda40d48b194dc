// The behaviour every LocalStore adapter must have. memoryStore.test.ts and indexedDbStore.test.ts
// run it; a new adapter gets a test file that does the same.
import { afterEach, describe, expect, test } from 'vitest';
import { createFullStore } from './createFullStore.js';
import { isQuotaExceeded } from './LocalStore.js';
import type { LocalStore, OutboxRow, RecordRow } from './LocalStore.js';

export interface ContractOptions {
  /** The adapter keeps data across close and reopen under the same name. */
  readonly persistent: boolean;
}

export function recordRow(id: string, fields: Partial<RecordRow> = {}): RecordRow {
  return {
    id,
    list: 'households',
    scope: 'households@area-1',
    version: 1,
    seq: 1,
    data: { name: id },
    pending: null,
    pendingSeq: 0,
    ...fields,
  };
}

export function outboxRow(seq: number, fields: Partial<OutboxRow> = {}): OutboxRow {
  return {
    seq,
    state: 'pending',
    recordId: null,
    bytes: 100,
    savedAt: '2024-06-11T08:00:00.000Z',
    payload: { note: `entry ${seq}` },
    rejection: null,
    ...fields,
  };
}

let counter = 0;
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2)}`;
}

export function describeLocalStoreContract(
  name: string,
  open: (dbName: string) => LocalStore,
  options: ContractOptions,
): void {
  describe(`LocalStore contract: ${name}`, () => {
    const opened: LocalStore[] = [];
    const fresh = (dbName = uniqueName('contract')) => {
      const store = open(dbName);
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.destroy();
    });

    test('a committed transaction is visible to the next one', async () => {
      const store = fresh();
      await store.transaction('readwrite', ['records', 'meta'], async (tx) => {
        await tx.put('records', [recordRow('a'), recordRow('b')]);
        await tx.put('meta', [{ key: 'deviceId', value: 'dev-1' }]);
      });
      const [rows, meta] = await store.transaction('readonly', ['records', 'meta'], async (tx) => [
        await tx.getMany('records', ['a', 'missing', 'b']),
        await tx.get('meta', 'deviceId'),
      ]);
      expect(rows.map((row) => row?.id)).toEqual(['a', undefined, 'b']);
      expect(meta?.value).toBe('dev-1');
    });

    test('a transaction that throws leaves nothing behind and rethrows', async () => {
      const store = fresh();
      await store.transaction('readwrite', ['records'], (tx) => tx.put('records', [recordRow('kept')]));
      const failing = store.transaction('readwrite', ['records', 'outbox'], async (tx) => {
        await tx.put('records', [recordRow('half-written')]);
        await tx.delete('records', ['kept']);
        await tx.put('outbox', [outboxRow(1)]);
        throw new Error('crash between writes');
      });
      await expect(failing).rejects.toThrow('crash between writes');
      const after = await store.transaction('readonly', ['records', 'outbox'], async (tx) => ({
        records: (await tx.list('records')).map((row) => row.id),
        outbox: await tx.count('outbox'),
      }));
      expect(after).toEqual({ records: ['kept'], outbox: 0 });
    });

    test('a transaction reads its own writes before commit', async () => {
      const store = fresh();
      const seen = await store.transaction('readwrite', ['records'], async (tx) => {
        await tx.put('records', [recordRow('a'), recordRow('b')]);
        await tx.delete('records', ['a']);
        return { count: await tx.count('records'), b: (await tx.get('records', 'b'))?.id };
      });
      expect(seen).toEqual({ count: 1, b: 'b' });
    });

    test('concurrent read-modify-write transactions do not lose updates', async () => {
      const store = fresh();
      const increment = () =>
        store.transaction('readwrite', ['meta'], async (tx) => {
          const current = await tx.get('meta', 'counter');
          const value = typeof current?.value === 'number' ? current.value : 0;
          await tx.put('meta', [{ key: 'counter', value: value + 1 }]);
        });
      await Promise.all(Array.from({ length: 40 }, increment));
      const counter = await store.transaction('readonly', ['meta'], (tx) => tx.get('meta', 'counter'));
      expect(counter?.value).toBe(40);
    });

    test('a concurrent reader sees all of a transaction or none of it', async () => {
      const store = fresh();
      const writer = store.transaction('readwrite', ['records', 'outbox'], async (tx) => {
        await tx.put('records', [recordRow('r1')]);
        await tx.put('outbox', [outboxRow(1, { recordId: 'r1' })]);
      });
      const reader = store.transaction('readonly', ['records', 'outbox'], async (tx) => [
        await tx.count('records'),
        await tx.count('outbox'),
      ]);
      const [, counts] = await Promise.all([writer, reader]);
      expect([
        [0, 0],
        [1, 1],
      ]).toContainEqual(counts);
    });

    test('bulk writes of 10,000 records land and can be queried by index', async () => {
      const store = fresh();
      const rows = Array.from({ length: 10_000 }, (_, i) =>
        recordRow(`case-${String(i).padStart(5, '0')}`, { list: i % 4 === 0 ? 'people' : 'households', seq: i + 1 }),
      );
      await store.transaction('readwrite', ['records'], (tx) => tx.put('records', rows));
      const result = await store.transaction('readonly', ['records'], async (tx) => ({
        total: await tx.count('records'),
        people: await tx.count('records', { index: 'list', equals: 'people' }),
        firstPeople: (await tx.list('records', { index: 'list', equals: 'people', limit: 2 })).map((row) => row.id),
      }));
      expect(result).toEqual({ total: 10_000, people: 2_500, firstPeople: ['case-00000', 'case-00004'] });
    });

    test('outbox rows come back in sequence order, numerically', async () => {
      const store = fresh();
      await store.transaction('readwrite', ['outbox'], (tx) =>
        tx.put('outbox', [
          outboxRow(10),
          outboxRow(2),
          outboxRow(1),
          outboxRow(30),
          outboxRow(3, { state: 'rejected' }),
        ]),
      );
      const seqs = await store.transaction('readonly', ['outbox'], async (tx) => ({
        all: (await tx.list('outbox')).map((row) => row.seq),
        from3: (await tx.list('outbox', { lower: 3 })).map((row) => row.seq),
        after3to10: (await tx.list('outbox', { lower: 3, lowerOpen: true, upper: 10 })).map((row) => row.seq),
        newest2: (await tx.list('outbox', { reverse: true, limit: 2 })).map((row) => row.seq),
        pending: (await tx.list('outbox', { index: 'state', equals: 'pending' })).map((row) => row.seq),
      }));
      expect(seqs).toEqual({
        all: [1, 2, 10, 30, 3].sort((a, b) => a - b),
        from3: [3, 10, 30],
        after3to10: [10],
        newest2: [30, 10],
        pending: [1, 2, 10, 30],
      });
    });

    test('iterate visits in order and stops when asked', async () => {
      const store = fresh();
      await store.transaction('readwrite', ['cursors'], (tx) =>
        tx.put('cursors', [
          { scope: 'b', cursor: 20 },
          { scope: 'a', cursor: 10 },
          { scope: 'c', cursor: 30 },
        ]),
      );
      const visited: string[] = [];
      await store.transaction('readonly', ['cursors'], (tx) =>
        tx.iterate('cursors', {}, (row) => {
          visited.push(row.scope);
          return visited.length < 2;
        }),
      );
      expect(visited).toEqual(['a', 'b']);
    });

    test('a read-only transaction refuses writes', async () => {
      const store = fresh();
      await expect(
        store.transaction('readonly', ['meta'], (tx) => tx.put('meta', [{ key: 'k', value: 1 }])),
      ).rejects.toThrow();
    });

    test('clear and destroy remove everything', async () => {
      const store = fresh();
      await store.transaction('readwrite', ['records', 'outbox'], async (tx) => {
        await tx.put('records', [recordRow('a')]);
        await tx.put('outbox', [outboxRow(1)]);
      });
      await store.transaction('readwrite', ['records'], (tx) => tx.clear('records'));
      const left = await store.transaction('readonly', ['records', 'outbox'], async (tx) => [
        await tx.count('records'),
        await tx.count('outbox'),
      ]);
      expect(left).toEqual([0, 1]);
    });

    test('running out of space mid-transaction leaves records and outbox unchanged', async () => {
      const inner = fresh();
      await inner.transaction('readwrite', ['records', 'outbox'], async (tx) => {
        await tx.put('records', [recordRow('existing', { version: 1 })]);
        await tx.put('outbox', [outboxRow(1, { recordId: 'existing' })]);
      });
      const full = createFullStore(inner, 500);
      const attempt = full.transaction('readwrite', ['records', 'outbox'], async (tx) => {
        await tx.put('records', [recordRow('existing', { version: 2 })]);
        await tx.put(
          'records',
          Array.from({ length: 1_000 }, (_, i) => recordRow(`new-${i}`)),
        );
      });
      const error: unknown = await attempt.then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(isQuotaExceeded(error)).toBe(true);
      const after = await inner.transaction('readonly', ['records', 'outbox'], async (tx) => ({
        records: (await tx.list('records')).map((row) => [row.id, row.version]),
        outbox: (await tx.list('outbox')).map((row) => row.seq),
      }));
      expect(after).toEqual({ records: [['existing', 1]], outbox: [1] });
    });

    if (options.persistent) {
      test('data survives closing and reopening', async () => {
        const dbName = uniqueName('reopen');
        const first = open(dbName);
        await first.transaction('readwrite', ['records', 'cursors'], async (tx) => {
          await tx.put('records', [recordRow('a')]);
          await tx.put('cursors', [{ scope: 's', cursor: 42 }]);
        });
        await first.close();
        const second = fresh(dbName);
        const cursor = await second.transaction('readonly', ['records', 'cursors'], async (tx) => ({
          record: (await tx.get('records', 'a'))?.id,
          cursor: (await tx.get('cursors', 's'))?.cursor,
        }));
        expect(cursor).toEqual({ record: 'a', cursor: 42 });
      });
    }
  });
}
