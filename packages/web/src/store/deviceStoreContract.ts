// What the sync code promises on top of any LocalStore: saving, applying pull pages and the
// outbox. Run against every adapter by memoryStore.test.ts and indexedDbStore.test.ts.
import type { PullPage, PulledRecord, PushItemResult } from '@outpost/core';
import { encodeRecordGroups } from '@outpost/core';
import { afterEach, describe, expect, test } from 'vitest';
import { applyPullPage, readCursors } from './applyPullPage.js';
import { createFullStore } from './createFullStore.js';
import { isQuotaExceeded } from './LocalStore.js';
import type { LocalStore } from './LocalStore.js';
import { uniqueName } from './localStoreContract.js';
import {
  acknowledge,
  discardRejected,
  exportUnsent,
  listRejected,
  nextBatch,
  pendingCount,
  pushRequestFor,
} from './outbox.js';
import { saveRecord } from './saveRecord.js';
import type { OutboxItem } from './saveRecord.js';
import type { CodecContext, ValueCodec } from './ValueCodec.js';

const scope = 'households@area-12';

function submission(instance: string, xmlName = 'Бат'): OutboxItem {
  return {
    instanceId: `uuid:${instance}`,
    projectId: 'p1',
    formId: 'household_visit',
    formVersion: '1',
    xml: `<data><name>${xmlName}</name></data>`,
    createdAt: '2024-06-11T08:30:00.000Z',
    attachments: [],
  };
}

function pulled(
  id: string,
  version: number,
  seq: number,
  properties: Record<string, string> = { name: id },
): PulledRecord {
  return [id, 'households', scope, version, seq, properties];
}

/** A pull page holding these records, encoded column-wise as the server sends them. */
function page({ records = [], ...fields }: Partial<Omit<PullPage, 'groups'>> & { records?: PulledRecord[] }): PullPage {
  return {
    groups: encodeRecordGroups(records),
    evictions: [],
    cursors: { [scope]: 0 },
    scopes: [scope],
    hasMore: false,
    remaining: 0,
    ...fields,
  };
}

async function records(store: LocalStore) {
  return store.transaction('readonly', ['records'], (tx) => tx.list('records'));
}

async function view(store: LocalStore, id: string) {
  const row = await store.transaction('readonly', ['records'], (tx) => tx.get('records', id));
  return row === undefined ? undefined : (row.pending ?? row.data);
}

export function describeDeviceStoreContract(name: string, open: (dbName: string) => LocalStore): void {
  describe(`device store: ${name}`, () => {
    const opened: LocalStore[] = [];
    const fresh = () => {
      const store = open(uniqueName('device'));
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.destroy();
    });

    test('saving writes the record and its outbox entry under increasing device seqs', async () => {
      const store = fresh();
      const first = await saveRecord(
        store,
        { id: 'h1', list: 'households', properties: { name: 'Бат' } },
        submission('a'),
      );
      const second = await saveRecord(store, null, submission('b'));
      expect([first.seq, second.seq]).toEqual([1, 2]);
      expect(await view(store, 'h1')).toEqual({ name: 'Бат' });
      expect(await pendingCount(store)).toBe(2);
    });

    test('device seqs are never reused after the outbox empties', async () => {
      const store = fresh();
      await saveRecord(store, null, submission('a'));
      await acknowledge(store, 1, [{ seq: 1, instanceId: 'uuid:a', outcome: 'accepted' }]);
      expect((await saveRecord(store, null, submission('b'))).seq).toBe(2);
    });

    test('concurrent saves get distinct seqs and all land', async () => {
      const store = fresh();
      const saves = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          saveRecord(store, { id: `h${i}`, list: 'households', properties: { i } }, submission(`s${i}`)),
        ),
      );
      expect(new Set(saves.map((save) => save.seq)).size).toBe(20);
      expect(await pendingCount(store)).toBe(20);
    });

    test('nextBatch returns pending items oldest first within the item and byte limits', async () => {
      const store = fresh();
      for (const id of ['a', 'b', 'c', 'd']) await saveRecord(store, null, submission(id));
      const all = await nextBatch(store, 10, 1_000_000);
      expect(all.map((entry) => entry.item.instanceId)).toEqual(['uuid:a', 'uuid:b', 'uuid:c', 'uuid:d']);
      expect((await nextBatch(store, 2, 1_000_000)).map((entry) => entry.seq)).toEqual([1, 2]);
      const oneSize = all[0]!.bytes;
      expect((await nextBatch(store, 10, oneSize * 3)).map((entry) => entry.seq)).toEqual([1, 2, 3]);
      expect((await nextBatch(store, 10, 1)).map((entry) => entry.seq)).toEqual([1]);
      const request = pushRequestFor('dev-1', all);
      expect(request).toMatchObject({ deviceId: 'dev-1', fromSeq: 1, throughSeq: 4 });
      expect(request.items[2]).toEqual({ seq: 3, ...submission('c') });
    });

    test('acknowledge removes committed items, keeps rejected ones with their reason, ignores the rest', async () => {
      const store = fresh();
      for (const id of ['a', 'b', 'c', 'd', 'e']) await saveRecord(store, null, submission(id));
      const results: PushItemResult[] = [
        { seq: 1, instanceId: 'uuid:a', outcome: 'accepted' },
        { seq: 2, instanceId: 'uuid:b', outcome: 'duplicate' },
        {
          seq: 3,
          instanceId: 'uuid:c',
          outcome: 'rejected',
          code: 'submission.invalid',
          field: '/data/age',
          detail: 'Age must be below 130',
        },
        { seq: 4, instanceId: 'uuid:d', outcome: 'parked', code: 'entity.base-missing' },
        { seq: 5, instanceId: 'uuid:e', outcome: 'accepted' },
      ];
      const outcome = await acknowledge(store, 4, results, { now: () => new Date('2024-06-11T10:00:00Z') });
      expect(outcome).toEqual({ removed: 3, rejected: 1 });
      expect((await nextBatch(store, 10, 1_000_000)).map((entry) => entry.seq)).toEqual([5]);
      expect(await pendingCount(store)).toBe(1);
      const rejected = await listRejected(store);
      expect(rejected.map((entry) => [entry.seq, entry.item.instanceId, entry.rejection])).toEqual([
        [
          3,
          'uuid:c',
          {
            code: 'submission.invalid',
            field: '/data/age',
            detail: 'Age must be below 130',
            at: '2024-06-11T10:00:00.000Z',
          },
        ],
      ]);
    });

    test('the same acknowledgement applied twice changes nothing more', async () => {
      const store = fresh();
      for (const id of ['a', 'b']) await saveRecord(store, null, submission(id));
      const results: PushItemResult[] = [
        { seq: 1, instanceId: 'uuid:a', outcome: 'rejected', code: 'submission.invalid' },
        { seq: 2, instanceId: 'uuid:b', outcome: 'accepted' },
      ];
      await acknowledge(store, 2, results);
      expect(await acknowledge(store, 2, results)).toEqual({ removed: 0, rejected: 0 });
      expect((await listRejected(store)).map((entry) => entry.seq)).toEqual([1]);
    });

    test('a rejected edit shows the server version again; an accepted one stays until the next pull', async () => {
      const store = fresh();
      await applyPullPage(
        store,
        page({
          records: [pulled('h1', 1, 10, { name: 'old' }), pulled('h2', 1, 11, { name: 'old' })],
          cursors: { [scope]: 11 },
        }),
      );
      await saveRecord(store, { id: 'h1', list: 'households', properties: { name: 'rejected edit' } }, submission('a'));
      await saveRecord(store, { id: 'h2', list: 'households', properties: { name: 'accepted edit' } }, submission('b'));
      await acknowledge(store, 2, [
        { seq: 1, instanceId: 'uuid:a', outcome: 'rejected', code: 'submission.invalid' },
        { seq: 2, instanceId: 'uuid:b', outcome: 'accepted' },
      ]);
      expect(await view(store, 'h1')).toEqual({ name: 'old' });
      expect(await view(store, 'h2')).toEqual({ name: 'accepted edit' });
      await applyPullPage(
        store,
        page({ records: [pulled('h2', 2, 12, { name: 'accepted edit, merged' })], cursors: { [scope]: 12 } }),
      );
      expect(await view(store, 'h2')).toEqual({ name: 'accepted edit, merged' });
    });

    test('a pulled version does not hide an edit that is still pending', async () => {
      const store = fresh();
      await applyPullPage(store, page({ records: [pulled('h1', 1, 10, { name: 'old' })], cursors: { [scope]: 10 } }));
      await saveRecord(store, { id: 'h1', list: 'households', properties: { name: 'mine' } }, submission('a'));
      await applyPullPage(
        store,
        page({ records: [pulled('h1', 2, 15, { name: 'someone else' })], cursors: { [scope]: 15 } }),
      );
      expect(await view(store, 'h1')).toEqual({ name: 'mine' });
      const [row] = await records(store);
      expect(row).toMatchObject({ version: 2, seq: 15, data: { name: 'someone else' } });
    });

    test('a record created on the device and rejected disappears, its submission stays visible', async () => {
      const store = fresh();
      await saveRecord(store, { id: 'new', list: 'households', properties: { name: 'N' } }, submission('a'));
      await acknowledge(store, 1, [{ seq: 1, instanceId: 'uuid:a', outcome: 'rejected', code: 'submission.invalid' }]);
      expect(await records(store)).toEqual([]);
      expect((await listRejected(store)).length).toBe(1);
      await discardRejected(store, [1]);
      expect(await listRejected(store)).toEqual([]);
    });

    test('a pull page writes records, evictions and cursors together', async () => {
      const store = fresh();
      await applyPullPage(
        store,
        page({
          records: [pulled('h1', 1, 1), pulled('h2', 1, 2), pulled('h3', 1, 3)],
          cursors: { [scope]: 3, old: 7 },
          scopes: [scope, 'old'],
        }),
      );
      const applied = await applyPullPage(
        store,
        page({
          records: [pulled('h1', 2, 4)],
          evictions: [{ id: 'h2', list: 'households', reason: 'out-of-scope' }],
          cursors: { [scope]: 4 },
          scopes: [scope],
        }),
      );
      expect(applied).toEqual({ written: 1, evicted: 1 });
      expect((await records(store)).map((row) => [row.id, row.version])).toEqual([
        ['h1', 2],
        ['h3', 1],
      ]);
      expect(await readCursors(store)).toEqual({ [scope]: 4 });
    });

    test('a scope the server no longer lists takes its records with it; records made here stay', async () => {
      const store = fresh();
      const lost = 'p1.old-generation.1a.khoroo-1';
      await applyPullPage(
        store,
        page({
          records: [pulled('h1', 1, 1), ['h2', 'households', lost, 1, 2, { name: 'h2' }]],
          cursors: { [scope]: 1, [lost]: 2 },
          scopes: [scope, lost],
        }),
      );
      await saveRecord(store, { id: 'made-here', list: 'households', properties: { name: 'N' } }, submission('a'));
      // The membership changed: the server lists only the other scope now.
      await applyPullPage(store, page({ cursors: { [scope]: 1 }, scopes: [scope] }));
      expect((await records(store)).map((row) => row.id).sort()).toEqual(['h1', 'made-here']);
      expect(await readCursors(store)).toEqual({ [scope]: 1 });
      expect(await pendingCount(store)).toBe(1);
    });

    test('running out of space while applying a page keeps the old records, cursor and outbox', async () => {
      const store = fresh();
      await applyPullPage(store, page({ records: [pulled('h1', 1, 1)], cursors: { [scope]: 1 } }));
      await saveRecord(store, { id: 'h1', list: 'households', properties: { name: 'mine' } }, submission('a'));
      const big = page({
        records: Array.from({ length: 2_000 }, (_, i) => pulled(`n${i}`, 1, i + 2)),
        cursors: { [scope]: 2_001 },
      });
      const error: unknown = await applyPullPage(createFullStore(store, 1_000), big).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(isQuotaExceeded(error)).toBe(true);
      expect((await records(store)).map((row) => row.id)).toEqual(['h1']);
      expect(await readCursors(store)).toEqual({ [scope]: 1 });
      expect(await pendingCount(store)).toBe(1);
      expect(await view(store, 'h1')).toEqual({ name: 'mine' });
    });

    test('the cursor is never stored without the records it covers', async () => {
      const store = fresh();
      const seal: ValueCodec = {
        seal: async (value) => value,
        open: async (value) => value,
      };
      let failed = false;
      const flaky: LocalStore = {
        ...store,
        transaction: (mode, stores, body) =>
          store.transaction(mode, stores, async (tx) => {
            const result = await body(tx);
            if (stores.includes('cursors') && !failed) {
              failed = true;
              throw new Error('power cut before commit');
            }
            return result;
          }),
      };
      await expect(
        applyPullPage(flaky, page({ records: [pulled('h1', 1, 5)], cursors: { [scope]: 5 } }), { codec: seal }),
      ).rejects.toThrow();
      expect(await readCursors(store)).toEqual({});
      expect(await records(store)).toEqual([]);
    });

    test('values pass through the codec, so the store only ever holds sealed values', async () => {
      const store = fresh();
      const codec: ValueCodec = {
        seal: async (value) => ({ sealed: JSON.stringify(value).split('').reverse().join('') }),
        open: async (stored) =>
          JSON.parse((stored as { sealed: string }).sealed.split('').reverse().join('')) as unknown,
      };
      await applyPullPage(
        store,
        page({ records: [pulled('h1', 1, 1, { name: 'canary-Бат' })], cursors: { [scope]: 1 } }),
        { codec },
      );
      await saveRecord(
        store,
        { id: 'h1', list: 'households', properties: { name: 'canary-edit' } },
        submission('a', 'canary-xml'),
        { codec },
      );
      const raw = JSON.stringify(
        await store.transaction('readonly', ['records', 'outbox'], async (tx) => [
          await tx.list('records'),
          await tx.list('outbox'),
        ]),
      );
      expect(raw).not.toContain('canary');
      expect((await nextBatch(store, 10, 1_000_000, { codec }))[0]?.item.xml).toContain('canary-xml');
    });

    test('a codec is told where each value lives, and opens it with the same place', async () => {
      const store = fresh();
      const where = (context: CodecContext | undefined): string =>
        context === undefined ? '?' : `${context.store}/${context.key}/${context.field ?? ''}`;
      // Refuses a value opened anywhere but where it was sealed, as AES-GCM with bound data does.
      const codec: ValueCodec = {
        seal: async (value, context) => ({ at: where(context), value }),
        open: async (stored, context) => {
          const { at, value } = stored as { at: string; value: unknown };
          if (at !== where(context)) throw new Error(`sealed for ${at}, opened as ${where(context)}`);
          return value;
        },
      };
      await applyPullPage(store, page({ records: [pulled('h1', 1, 1, { name: 'Бат' })], cursors: { [scope]: 1 } }), {
        codec,
      });
      await saveRecord(store, { id: 'h1', list: 'households', properties: { name: 'mine' } }, submission('a'), {
        codec,
      });
      await saveRecord(store, null, submission('b'), { codec });
      const rows = await store.transaction('readonly', ['records'], (tx) => tx.list('records'));
      expect(rows[0]?.data).toMatchObject({ at: 'records/h1/data' });
      expect(rows[0]?.pending).toMatchObject({ at: 'records/h1/pending' });
      expect((await nextBatch(store, 10, 1_000_000, { codec })).map((entry) => entry.item.instanceId)).toEqual([
        'uuid:a',
        'uuid:b',
      ]);
    });

    test('exportUnsent gives a readable rescue file of everything not on the server', async () => {
      const store = fresh();
      await store.transaction('readwrite', ['meta'], (tx) => tx.put('meta', [{ key: 'deviceId', value: 'dev-7' }]));
      for (const id of ['a', 'b', 'c']) await saveRecord(store, null, submission(id));
      await acknowledge(store, 2, [
        { seq: 1, instanceId: 'uuid:a', outcome: 'accepted' },
        { seq: 2, instanceId: 'uuid:b', outcome: 'rejected', code: 'submission.invalid' },
      ]);
      const file = JSON.parse(await exportUnsent(store, { now: () => new Date('2024-06-11T12:00:00Z') })) as {
        entries: { seq: number; state: string; item: OutboxItem }[];
      };
      expect(file).toMatchObject({
        format: 'outpost-unsent',
        formatVersion: 1,
        exportedAt: '2024-06-11T12:00:00.000Z',
        deviceId: 'dev-7',
      });
      expect(file.entries.map((entry) => [entry.seq, entry.state, entry.item.instanceId])).toEqual([
        [2, 'rejected', 'uuid:b'],
        [3, 'pending', 'uuid:c'],
      ]);
    });
  });
}
