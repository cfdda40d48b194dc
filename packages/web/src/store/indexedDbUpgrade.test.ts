import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { openDeviceRecords } from '../sync/listDeviceRecords.js';
import { createIndexedDbStore } from './indexedDbStore.js';
import { previousLocalStoreSchemas } from './localStoreSchema.js';
import { saveRecord } from './saveRecord.js';
import { plainCodec } from './ValueCodec.js';

/** A device database as version 1 of the app left it, written with Dexie as that version did. */
async function versionOneDevice(name: string): Promise<void> {
  const [v1] = previousLocalStoreSchemas;
  const db = new Dexie(name);
  db.version(v1.version).stores(
    Object.fromEntries(
      Object.entries(v1.stores).map(([store, { key, indexes }]) => [store, [key, ...indexes].join(', ')]),
    ),
  );
  await db.open();
  const rows = Array.from({ length: 50 }, (_, i): Record<string, unknown> => ({
    id: `c${String(i).padStart(2, '0')}`,
    list: 'cases',
    scope: 'p.p1.1.cases',
    version: 1,
    seq: i + 1,
    data: { __label: `Case ${i}`, __projectId: 'p1' },
    pending: null,
    pendingSeq: 0,
  }));
  // One record edited offline and not yet sent: its edit and its outbox entry must survive.
  rows[7] = { ...rows[7], pending: { __label: 'Edited offline' }, pendingSeq: 1 };
  await db.table('records').bulkPut(rows);
  await db.table('outbox').put({
    seq: 1,
    state: 'pending',
    recordId: 'c07',
    bytes: 10,
    savedAt: '2026-12-07T10:00:00Z',
    payload: { xml: '<data/>' },
    rejection: null,
  });
  await db.table('meta').put({ key: 'outbox.lastSeq', value: 1 });
  await db.table('cursors').put({ scope: 'p.p1.1.cases', cursor: 50 });
  db.close();
}

describe('upgrading the device database from version 1', () => {
  it('keeps every record, edit, outbox entry and cursor, and stamps each record', async () => {
    const name = `upgrade-${crypto.randomUUID()}`;
    await versionOneDevice(name);
    const store = createIndexedDbStore(name);
    const [records, outbox, cursors, lastSeq] = await store.transaction(
      'readonly',
      ['records', 'outbox', 'cursors', 'meta'],
      async (tx) => [
        await tx.list('records'),
        await tx.list('outbox'),
        await tx.list('cursors'),
        await tx.get('meta', 'outbox.lastSeq'),
      ],
    );
    expect(records).toHaveLength(50);
    expect(records.find((r) => r.id === 'c07')).toMatchObject({
      pending: { __label: 'Edited offline' },
      pendingSeq: 1,
    });
    expect(new Set(records.map((r) => r.rev)).size).toBe(50);
    expect(records.every((r) => typeof r.rev === 'number' && r.rev >= 1 && r.rev <= 50)).toBe(true);
    expect(outbox.map((r) => r.seq)).toEqual([1]);
    expect(cursors).toEqual([{ scope: 'p.p1.1.cases', cursor: 50 }]);
    expect(lastSeq?.value).toBe(1);

    // The upgraded device opens its records, then sees a new offline edit by reading only that row.
    const opened = await openDeviceRecords(store, plainCodec);
    expect(opened.all).toHaveLength(50);
    expect(opened.byId.get('c07')).toMatchObject({ label: 'Edited offline', state: 'pending' });
    await saveRecord(
      store,
      { id: 'c03', list: 'cases', properties: { __label: 'Case 3, visited' } },
      {
        instanceId: 'uuid:u1',
        projectId: 'p1',
        formId: 'visit',
        formVersion: '1',
        xml: '<data/>',
        createdAt: '2026-12-07T11:00:00Z',
        attachments: [],
      },
    );
    const changed = await store.transaction('readonly', ['records'], (tx) =>
      tx.list('records', { index: 'rev', lower: opened.rev, lowerOpen: true }),
    );
    expect(changed.map((r) => r.id)).toEqual(['c03']);
    const again = await openDeviceRecords(store, plainCodec, opened);
    expect(again.byId.get('c03')).toMatchObject({ label: 'Case 3, visited', state: 'pending', seq: 2 });
    expect(again.byId.get('c10')).toBe(opened.byId.get('c10'));
    await store.close();

    // Opened again (the next app start): nothing is upgraded twice, nothing lost.
    const reopened = createIndexedDbStore(name);
    expect(await reopened.transaction('readonly', ['records'], (tx) => tx.count('records'))).toBe(50);
    await reopened.destroy();
  });
});
