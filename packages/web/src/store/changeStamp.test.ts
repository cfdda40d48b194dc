import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { recordsRevKey } from './changeStamp.js';
import { createIndexedDbStore } from './indexedDbStore.js';
import type { LocalStore, RecordRow } from './LocalStore.js';
import { createMemoryStore } from './memoryStore.js';

const row = (id: string, rev?: number): RecordRow => ({
  id,
  list: 'cases',
  scope: 's',
  version: 1,
  seq: 1,
  data: { id },
  pending: null,
  pendingSeq: 0,
  ...(rev === undefined ? {} : { rev }),
});

async function revs(store: LocalStore): Promise<Record<string, number | undefined>> {
  const rows = await store.transaction('readonly', ['records'], (tx) => tx.list('records'));
  return Object.fromEntries(rows.map((r) => [r.id, r.rev]));
}

const adapters: [string, (name: string) => LocalStore][] = [
  ['memory', (name) => createMemoryStore(name)],
  ['IndexedDB (Dexie)', (name) => createIndexedDbStore(name)],
];

describe.each(adapters)('the change stamp of records (%s)', (_, create) => {
  it('gives every written row a higher stamp than any before, whatever the row carried', async () => {
    const store = create(`stamp-${crypto.randomUUID()}`);
    await store.transaction('readwrite', ['records'], (tx) => tx.put('records', [row('a', 99), row('b')]));
    expect(await revs(store)).toEqual({ a: 1, b: 2 });
    // Two puts in one transaction, started together, never share a stamp.
    await store.transaction('readwrite', ['records'], async (tx) => {
      await Promise.all([tx.put('records', [row('c')]), tx.put('records', [row('a')])]);
    });
    const after = await revs(store);
    expect(new Set([after['a'], after['c']])).toEqual(new Set([3, 4]));
    expect(after['b']).toBe(2);
    await store.close();
  });

  it('does not give a removed row’s stamp again, so a reader that saw it misses nothing', async () => {
    const store = create(`stamp-removed-${crypto.randomUUID()}`);
    await store.transaction('readwrite', ['records'], (tx) => tx.put('records', [row('a'), row('b')]));
    await store.transaction('readwrite', ['records'], (tx) => tx.delete('records', ['b']));
    await store.transaction('readwrite', ['records'], (tx) => tx.put('records', [row('a')]));
    expect(await revs(store)).toEqual({ a: 3 });
    const changed = await store.transaction('readonly', ['records'], (tx) =>
      tx.list('records', { index: 'rev', lower: 2, lowerOpen: true }),
    );
    expect(changed.map((r) => r.id)).toEqual(['a']);
    await store.close();
  });

  it('keeps counting from the rows held when the kept stamp is gone from meta', async () => {
    const store = create(`stamp-meta-${crypto.randomUUID()}`);
    await store.transaction('readwrite', ['records'], (tx) => tx.put('records', [row('a'), row('b')]));
    await store.transaction('readwrite', ['meta'], (tx) => tx.delete('meta', [recordsRevKey]));
    await store.transaction('readwrite', ['records'], (tx) => tx.put('records', [row('c')]));
    expect((await revs(store))['c']).toBe(3);
    await store.close();
  });
});
