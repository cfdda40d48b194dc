// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import type { PulledRecord } from '@outpost/core';
import { encodeRecordGroups } from '@outpost/core';
import { afterEach, describe, expect, test } from 'vitest';
import { applyPullPage } from './applyPullPage.js';
import { createIndexedDbStore } from './indexedDbStore.js';
import type { LocalStore } from './LocalStore.js';
import { uniqueName } from './localStoreContract.js';
import { createMemoryStore } from './memoryStore.js';
import { acknowledge, discardRejected, nextBatch } from './outbox.js';
import { saveRecord } from './saveRecord.js';
import type { OutboxItem } from './saveRecord.js';

const scope = 'p.p1.1.cases';
const caseId = '0c6f3f8e-6c1a-4d0e-9a57-3f1c2b7d9e01';

/** A visit as the form engine finalizes it: the entity block says what the form read from the list. */
function visit(instance: string, baseVersion: string, extra = ''): OutboxItem {
  return {
    instanceId: `uuid:${instance}`,
    projectId: 'p1',
    formId: 'household_visit',
    formVersion: '1',
    xml:
      `<data id="household_visit"><members>4</members><meta><instanceID>uuid:${instance}</instanceID>` +
      `<entity dataset="cases" id="${caseId}" update="1" baseVersion="${baseVersion}" trunkVersion="" branchId=""${extra}/>` +
      `</meta></data>`,
    createdAt: '2026-04-04T03:38:10.828Z',
    attachments: [],
  };
}

const registration: OutboxItem = {
  ...visit('reg', ''),
  xml: `<data><meta><entity dataset="cases" id="${caseId}" create="1"><label>Бат</label></entity></meta></data>`,
};

async function pull(store: LocalStore, version: number, seq: number): Promise<void> {
  const record: PulledRecord = [caseId, 'cases', scope, version, seq, { members: String(version) }];
  await applyPullPage(store, {
    groups: encodeRecordGroups([record]),
    evictions: [],
    cursors: { [scope]: seq },
    scopes: [scope],
    hasMore: false,
    remaining: 0,
  });
}

async function save(store: LocalStore, item: OutboxItem, ids: string[]): Promise<void> {
  await saveRecord(store, { id: caseId, list: 'cases', properties: { members: '4' } }, item, {
    newBranchId: () => ids.shift() ?? 'no-more-ids',
  });
}

/** The offline-entity attributes of each queued submission, in the order they are sent. */
async function sent(store: LocalStore): Promise<Array<Record<string, string | null>>> {
  const entries = await nextBatch(store, 100, 1 << 20);
  return entries.map(({ item }) => {
    const entity = new DOMParser().parseFromString(item.xml, 'application/xml').getElementsByTagName('entity')[0];
    return {
      baseVersion: entity?.getAttribute('baseVersion') ?? null,
      trunkVersion: entity?.getAttribute('trunkVersion') ?? null,
      branchId: entity?.getAttribute('branchId') ?? null,
    };
  });
}

for (const [name, open] of [
  ['memory', (db: string) => createMemoryStore(db)],
  ['IndexedDB (Dexie)', (db: string) => createIndexedDbStore(db)],
] as const) {
  describe(`offline entity branches: ${name}`, () => {
    const opened: LocalStore[] = [];
    const fresh = () => {
      const store = open(uniqueName('branch'));
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.destroy();
    });

    test('two offline visits of one case: base versions N and N+1, one branch, trunk N', async () => {
      const store = fresh();
      await pull(store, 3, 10);
      // The form computed both from the server's list (3); the device knows the first visit makes 4.
      await save(store, visit('a', '3'), ['branch-1', 'branch-2']);
      await save(store, visit('b', '3'), ['branch-3']);
      expect(await sent(store)).toEqual([
        { baseVersion: '3', trunkVersion: '3', branchId: 'branch-1' },
        { baseVersion: '4', trunkVersion: '3', branchId: 'branch-1' },
      ]);
    });

    test('a pull that includes the run ends it; one that does not yet, keeps it', async () => {
      const store = fresh();
      await pull(store, 3, 10);
      await save(store, visit('a', '3'), ['branch-1']);
      await save(store, visit('b', '3'), ['unused']);
      await pull(store, 4, 11); // the first visit only: the run goes on
      await save(store, visit('c', '4'), ['unused']);
      await pull(store, 6, 12); // all three now on the server
      await save(store, visit('d', '6'), ['branch-2']);
      expect((await sent(store)).slice(2)).toEqual([
        { baseVersion: '5', trunkVersion: '3', branchId: 'branch-1' },
        { baseVersion: '6', trunkVersion: '6', branchId: 'branch-2' },
      ]);
    });

    test('a case registered on this device and visited before it synced: base 1, no trunk, one branch', async () => {
      const store = fresh();
      await save(store, registration, ['branch-1']);
      await save(store, visit('a', ''), ['unused']);
      await save(store, visit('b', ''), ['unused']);
      expect(await sent(store)).toEqual([
        { baseVersion: null, trunkVersion: null, branchId: null },
        { baseVersion: '1', trunkVersion: '', branchId: 'branch-1' },
        { baseVersion: '2', trunkVersion: '', branchId: 'branch-1' },
      ]);
    });

    test('a refused last visit, once discarded, no longer counts: the next visit builds on the one before it', async () => {
      const store = fresh();
      await pull(store, 3, 10);
      await save(store, visit('a', '3'), ['branch-1']);
      await save(store, visit('b', '3'), ['unused']);
      const refused = { code: 'submission.invalid', detail: 'bad answer' };
      await acknowledge(store, 2, [
        { seq: 1, instanceId: 'uuid:a', outcome: 'accepted' },
        { seq: 2, instanceId: 'uuid:b', outcome: 'rejected', ...refused },
      ]);
      await discardRejected(store, [2]);
      await save(store, visit('c', '3'), ['unused']);
      // Without the fix the device claimed base 5, a version the server never gets: held, then forced.
      expect(await sent(store)).toEqual([{ baseVersion: '4', trunkVersion: '3', branchId: 'branch-1' }]);
    });

    test('a refused visit in the middle of a run, once discarded, ends the run: the next visit starts a new one', async () => {
      const store = fresh();
      await pull(store, 3, 10);
      await save(store, visit('a', '3'), ['branch-1']);
      await save(store, visit('b', '3'), ['unused']);
      await acknowledge(store, 2, [
        { seq: 1, instanceId: 'uuid:a', outcome: 'rejected', code: 'entity.version-not-found' },
        { seq: 2, instanceId: 'uuid:b', outcome: 'parked', code: 'sync.entity-held' },
      ]);
      await discardRejected(store, [1]);
      await save(store, visit('c', '3'), ['branch-2']);
      expect(await sent(store)).toEqual([{ baseVersion: '3', trunkVersion: '3', branchId: 'branch-2' }]);
    });

    test('a refused visit fixed and saved again replaces it in the outbox, on the base it was made on', async () => {
      const store = fresh();
      await pull(store, 3, 10);
      await save(store, visit('a', '3'), ['branch-1']);
      await save(store, visit('b', '3'), ['unused']);
      await acknowledge(store, 2, [
        { seq: 1, instanceId: 'uuid:a', outcome: 'accepted' },
        { seq: 2, instanceId: 'uuid:b', outcome: 'rejected', code: 'submission.invalid', field: '/data/members' },
      ]);
      // Opened from "Not sent" (same instance), the answer corrected, finalized again.
      await save(store, { ...visit('b', '3'), xml: visit('b', '3').xml.replace('<members>4<', '<members>5<') }, [
        'unused',
      ]);
      const rows = await store.transaction('readonly', ['outbox'], (tx) => tx.list('outbox'));
      expect(rows.map((r) => [r.seq, r.state])).toEqual([[3, 'pending']]);
      const [fixed] = await nextBatch(store, 10, 1 << 20);
      expect(fixed?.item.instanceId).toBe('uuid:b');
      expect(fixed?.item.xml).toContain('<members>5<');
      expect(await sent(store)).toEqual([{ baseVersion: '4', trunkVersion: '3', branchId: 'branch-1' }]);
    });

    test('saving another instance leaves a refused one in "Not sent"', async () => {
      const store = fresh();
      await pull(store, 3, 10);
      await save(store, visit('a', '3'), ['branch-1']);
      await acknowledge(store, 1, [{ seq: 1, instanceId: 'uuid:a', outcome: 'rejected', code: 'submission.invalid' }]);
      await save(store, visit('b', '3'), ['branch-2']);
      const rows = await store.transaction('readonly', ['outbox'], (tx) => tx.list('outbox'));
      expect(rows.map((r) => [r.seq, r.state])).toEqual([
        [1, 'rejected'],
        [2, 'pending'],
      ]);
    });

    test('attributes the form left out are added; an update of a case not on the device is left alone', async () => {
      const store = fresh();
      const bare = { ...visit('x', '7'), xml: visit('x', '7').xml.replace(' trunkVersion="" branchId=""', '') };
      await save(store, bare, ['unused']);
      await pull(store, 8, 20);
      await save(store, { ...bare, instanceId: 'uuid:y' }, ['branch-9']);
      expect(await sent(store)).toEqual([
        { baseVersion: '7', trunkVersion: null, branchId: null },
        { baseVersion: '8', trunkVersion: '8', branchId: 'branch-9' },
      ]);
    });
  });
}
