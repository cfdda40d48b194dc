import { encodeRecordGroups, type PulledRecord } from '@outpost/core';
import { describe, expect, it } from 'vitest';
import { applyPullPage } from '../store/applyPullPage.js';
import type { LocalStore, StoreTransaction } from '../store/LocalStore.js';
import { createMemoryStore } from '../store/memoryStore.js';
import { acknowledge } from '../store/outbox.js';
import { saveRecord } from '../store/saveRecord.js';
import type { ValueCodec } from '../store/ValueCodec.js';
import { forgetOpenedRecords, listOpenedRecords } from './openedRecords.js';

const scope = 'p.p1.1.cases';
const record = (id: string, label: string, version: number, seq: number, projectId = 'p1'): PulledRecord => [
  id,
  'cases',
  scope,
  version,
  seq,
  { __label: label, __status: 'open', __conflict: null, __projectId: projectId },
];

/** A codec that counts what it opens, as the vault's decryptions would cost. */
function countingCodec(): ValueCodec & { opened: number } {
  const codec = {
    opened: 0,
    seal: async (value: unknown) => value as never,
    open: async (stored: unknown) => {
      codec.opened += 1;
      return stored;
    },
  };
  return codec;
}

async function pull(store: LocalStore, records: PulledRecord[], evicted: string[] = []): Promise<void> {
  await applyPullPage(store, {
    groups: encodeRecordGroups(records),
    evictions: evicted.map((id) => ({ id, list: 'cases', reason: 'out-of-scope' as const })),
    cursors: { [scope]: Math.max(...records.map((r) => r[4])) },
    scopes: [scope],
    hasMore: false,
    remaining: 0,
  });
}

describe('the opened records of an unlocked device', () => {
  it('decrypts each record once, again only when it changed, and everything after the lock', async () => {
    const store = createMemoryStore('opened');
    const codec = countingCodec();
    const device = { store, codec };
    await pull(store, [record('c1', 'Бат', 1, 1), record('c2', 'Сараа', 1, 2), record('c3', 'Other', 1, 3, 'p2')]);

    const first = await listOpenedRecords(device, 'p1');
    expect(first.map((r) => r.id)).toEqual(['c1', 'c2']);
    expect(codec.opened).toBe(3);

    // The tasks screen, then the case list: nothing opened again, the very same objects.
    const again = await listOpenedRecords(device, 'p1');
    expect(codec.opened).toBe(3);
    expect(again[0]).toBe(first[0]);
    expect((await listOpenedRecords(device, 'p2')).map((r) => r.id)).toEqual(['c3']);
    expect(codec.opened).toBe(3);

    // A sync brings a new version of one: only that one is opened.
    await pull(store, [record('c2', 'Сараа Болд', 2, 4)]);
    const synced = await listOpenedRecords(device, 'p1');
    expect(codec.opened).toBe(4);
    expect(synced.find((r) => r.id === 'c2')?.label).toBe('Сараа Болд');
    expect(synced.find((r) => r.id === 'c1')).toBe(first[0]);

    // Locked: nothing opened is kept, the next session opens everything itself.
    forgetOpenedRecords(device);
    await listOpenedRecords(device, 'p1');
    expect(codec.opened).toBe(7);
    await listOpenedRecords(device, 'p1');
    expect(codec.opened).toBe(10);
    const unlockedAgain = { store, codec };
    await listOpenedRecords(unlockedAgain, 'p1');
    await listOpenedRecords(unlockedAgain, 'p1');
    expect(codec.opened).toBe(13);
    await store.close();
  });

  it('answers from the kept records without reading the store while the revision stays', async () => {
    const store = createMemoryStore('revision');
    const codec = countingCodec();
    let revision = 1;
    const device = { store, codec, revision: () => revision };
    await pull(store, [record('c1', 'Бат', 1, 1)]);
    expect((await listOpenedRecords(device, 'p1')).map((r) => r.label)).toEqual(['Бат']);

    // A change the device has not announced yet: the kept answer stands…
    await pull(store, [record('c1', 'Бат-Эрдэнэ', 2, 2), record('c2', 'Сараа', 1, 3)]);
    expect((await listOpenedRecords(device, 'p1')).map((r) => r.label)).toEqual(['Бат']);
    expect(codec.opened).toBe(1);
    // …until the revision moves: then the store is read and the two changed records opened.
    revision += 1;
    expect((await listOpenedRecords(device, 'p1')).map((r) => r.label)).toEqual(['Бат-Эрдэнэ', 'Сараа']);
    expect(codec.opened).toBe(3);
    await store.close();
  });

  it('after a sync reads back only the rows written since, and notices evictions and offline edits', async () => {
    const { store, rowsRead } = countingStore(createMemoryStore('incremental'));
    const codec = countingCodec();
    let revision = 1;
    const device = { store, codec, revision: () => revision };
    await pull(
      store,
      Array.from({ length: 40 }, (_, i) => record(`c${String(i).padStart(2, '0')}`, `Case ${i}`, 1, i + 1)),
    );
    expect(await listOpenedRecords(device, 'p1')).toHaveLength(40);
    expect(rowsRead()).toBe(40);

    // A sync: one case changed, one new. Two rows read, two opened.
    await pull(store, [record('c05', 'Case 5, moved', 2, 41), record('c40', 'Case 40', 1, 42)]);
    revision += 1;
    const synced = await listOpenedRecords(device, 'p1');
    expect(rowsRead()).toBe(40 + 2);
    expect(codec.opened).toBe(42);
    expect(synced).toHaveLength(41);
    expect(synced.find((r) => r.id === 'c05')?.label).toBe('Case 5, moved');
    expect(synced.map((r) => r.label)).toEqual([...synced.map((r) => r.label)].sort(new Intl.Collator().compare));

    // An offline edit on the device: seen as the user's, waiting to be sent.
    await saveRecord(
      store,
      { id: 'c07', list: 'cases', properties: { __label: 'Case 7, visited' } },
      {
        instanceId: 'uuid:v1',
        projectId: 'p1',
        formId: 'visit',
        formVersion: '1',
        xml: '<data/>',
        createdAt: '2026-12-07T10:00:00Z',
        attachments: [],
      },
    );
    revision += 1;
    const edited = await listOpenedRecords(device, 'p1');
    expect(edited.find((r) => r.id === 'c07')).toMatchObject({ label: 'Case 7, visited', state: 'pending' });
    expect(rowsRead()).toBe(42 + 1);

    // The server took it: the record is no longer waiting.
    await acknowledge(store, 1, [{ seq: 1, instanceId: 'uuid:v1', outcome: 'accepted' }]);
    revision += 1;
    expect((await listOpenedRecords(device, 'p1')).find((r) => r.id === 'c07')?.state).toBe('synced');

    // An eviction, even with a new case in the same page (the count alone would not move): gone.
    await pull(store, [record('c41', 'Case 41', 1, 43)], ['c12']);
    revision += 1;
    const evicted = await listOpenedRecords(device, 'p1');
    expect(evicted.map((r) => r.id)).not.toContain('c12');
    expect(evicted.map((r) => r.id)).toContain('c41');
    expect(evicted).toHaveLength(41);
    // And a plain removal (a scope repaired by the digest check deletes rows without writing any).
    await store.transaction('readwrite', ['records'], (tx) => tx.delete('records', ['c20']));
    revision += 1;
    expect((await listOpenedRecords(device, 'p1')).map((r) => r.id)).not.toContain('c20');
    await store.close();
  });
});

/** Wraps a store to count the record rows its reads bring back (each one a structured clone in IndexedDB). */
function countingStore(inner: LocalStore): { store: LocalStore; rowsRead: () => number } {
  let read = 0;
  const wrap = (tx: StoreTransaction): StoreTransaction => ({
    get: (store, key) => tx.get(store, key),
    getMany: (store, keys) => tx.getMany(store, keys),
    put: (store, rows) => tx.put(store, rows),
    delete: (store, keys) => tx.delete(store, keys),
    clear: (store) => tx.clear(store),
    count: (store, query) => tx.count(store, query),
    iterate: (store, query, visit) => tx.iterate(store, query, visit),
    list: async (store, query) => {
      const rows = await tx.list(store, query);
      if (store === 'records') read += rows.length;
      return rows;
    },
  });
  const store: LocalStore = {
    name: inner.name,
    transaction: (mode, stores, body) => inner.transaction(mode, stores, (tx) => body(wrap(tx))),
    close: () => inner.close(),
    destroy: () => inner.destroy(),
  };
  return { store, rowsRead: () => read };
}
