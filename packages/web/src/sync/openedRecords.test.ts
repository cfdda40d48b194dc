import { encodeRecordGroups, type PulledRecord } from '@outpost/core';
import { describe, expect, it } from 'vitest';
import { applyPullPage } from '../store/applyPullPage.js';
import { createMemoryStore } from '../store/memoryStore.js';
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

async function pull(store: ReturnType<typeof createMemoryStore>, records: PulledRecord[]): Promise<void> {
  await applyPullPage(store, {
    groups: encodeRecordGroups(records),
    evictions: [],
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
});
