import type { PushItem } from '@outpost/core';
import type { LocalStore, OutboxRow, RecordRow, StoredValue, StoreTransaction } from './LocalStore.js';
import { branchAfterDiscard, branchEdit } from './offlineBranch.js';
import { plainCodec } from './ValueCodec.js';
import type { CodecContext, ValueCodec } from './ValueCodec.js';

/** What the outbox keeps of a submission; its seq is given when it is saved. */
export type OutboxItem = Omit<PushItem, 'seq'>;

/** The device's edit of a record, shown at once and kept until the server has it. */
export interface LocalEdit {
  readonly id: string;
  readonly list: string;
  readonly properties: unknown;
}

export interface SaveOptions {
  readonly codec?: ValueCodec;
  readonly now?: () => Date;
  /** A new offline branch id (a UUID); tests pass their own. */
  readonly newBranchId?: () => string;
  /**
   * Further records the submission makes or changes (entities in repeat instances, a second
   * list), saved pending with the first in the same transaction and settled with it.
   */
  readonly others?: readonly LocalEdit[];
}

/** Where the last device sequence number given out is kept, so seqs are never reused. */
export const lastSeqKey = 'outbox.lastSeq';

const utf8 = new TextEncoder();

/**
 * Saves what the user entered: the record as they now see it and the submission that tells the
 * server, in one transaction, under the next device sequence number. Either both are stored or
 * neither is. `record` is null for a submission that creates or changes no record. An instance
 * the server refused is replaced by its fixed version in the same transaction.
 */
export async function saveRecord(
  store: LocalStore,
  record: LocalEdit | null,
  item: OutboxItem,
  options: SaveOptions = {},
): Promise<{ readonly seq: number }> {
  const codec = options.codec ?? plainCodec;
  const savedAt = (options.now?.() ?? new Date()).toISOString();
  const newBranchId = options.newBranchId ?? (() => crypto.randomUUID());
  const pending = record === null ? null : await codec.seal(record.properties, pendingContext(record.id));
  const others = (options.others ?? []).filter((other) => other.id !== record?.id);
  const othersPending = await Promise.all(
    others.map((other) => codec.seal(other.properties, pendingContext(other.id))),
  );

  // The payload is sealed under its seq (bound to its row), and sealing cannot run inside the
  // transaction: read the next seq and the record, seal, and write only if no other save took
  // that seq and no pull changed the record meanwhile.
  for (;;) {
    // A form the server refused, opened from "Not sent", fixed and saved again (same instanceID):
    // the fixed version takes the refused one's place, as if that had been discarded first.
    const refused = await refusedEntry(store, item.instanceId, codec);
    const [expected, before, refusedRecord] = await store.transaction(
      'readonly',
      ['meta', 'records'],
      async (tx) =>
        [
          lastSeqOf(await tx.get('meta', lastSeqKey)),
          record === null ? undefined : await tx.get('records', record.id),
          refused?.recordId == null || refused.recordId === record?.id
            ? undefined
            : await tx.get('records', refused.recordId),
        ] as const,
    );
    const base =
      refused !== null && before !== undefined && refused.recordId === before.id
        ? { ...before, branch: branchAfterDiscard(before, refused.xml) }
        : before;
    // The entity block gets its offline-branch metadata here, the one place the device sets it.
    const { item: sent, branch } = record === null ? { item, branch: null } : branchEdit(item, base, newBranchId);
    const bytes = utf8.encode(JSON.stringify(sent)).length;
    const payload = await codec.seal(sent, payloadContext(expected + 1));
    const saved = await store.transaction('readwrite', ['records', 'outbox', 'meta'], async (tx) => {
      const last = lastSeqOf(await tx.get('meta', lastSeqKey));
      if (last !== expected) return null;
      const existing = record === null ? undefined : await tx.get('records', record.id);
      if (existing?.seq !== before?.seq) return null;
      if (refused !== null) {
        // Sent again or discarded meanwhile: decide again from what the outbox holds now.
        if ((await tx.get('outbox', refused.seq))?.state !== 'rejected') return null;
        await tx.delete('outbox', [refused.seq]);
        if (refusedRecord !== undefined) {
          await tx.put('records', [{ ...refusedRecord, branch: branchAfterDiscard(refusedRecord, refused.xml) }]);
        }
      }
      const seq = last + 1;
      const entry: OutboxRow = {
        seq,
        state: 'pending',
        recordId: record?.id ?? null,
        ...(others.length === 0 ? {} : { otherRecordIds: others.map((other) => other.id) }),
        bytes,
        savedAt,
        payload,
        rejection: null,
      };
      await tx.put('meta', [{ key: lastSeqKey, value: seq }]);
      await tx.put('outbox', [entry]);
      if (record !== null) {
        const row: RecordRow = existing
          ? { ...existing, pending, pendingSeq: seq, branch }
          : {
              id: record.id,
              list: record.list,
              scope: '',
              version: 0,
              seq: 0,
              data: null,
              pending,
              pendingSeq: seq,
              branch,
            };
        await tx.put('records', [row]);
      }
      await tx.put('records', await otherRows(tx, others, othersPending, seq, newBranchId));
      return { seq };
    });
    if (saved !== null) return saved;
  }
}

/**
 * The further records of a submission, pending under its seq: a record made here starts its own
 * run of offline edits (as the first record's create does); the entity blocks of repeat instances
 * are sent as the form made them.
 */
async function otherRows(
  tx: StoreTransaction,
  others: readonly LocalEdit[],
  pending: readonly StoredValue[],
  seq: number,
  newBranchId: () => string,
): Promise<RecordRow[]> {
  const existing =
    others.length === 0
      ? []
      : await tx.getMany(
          'records',
          others.map((other) => other.id),
        );
  return others.map((other, i): RecordRow => {
    const before = existing[i];
    const sealed = pending[i];
    return before
      ? { ...before, pending: sealed, pendingSeq: seq }
      : {
          id: other.id,
          list: other.list,
          scope: '',
          version: 0,
          seq: 0,
          data: null,
          pending: sealed,
          pendingSeq: seq,
          branch: { id: newBranchId(), trunkVersion: null, version: 1 },
        };
  });
}

/** The refused outbox entry of this instance, opened: at most one, since a fix replaces it. */
async function refusedEntry(
  store: LocalStore,
  instanceId: string,
  codec: ValueCodec,
): Promise<{ seq: number; recordId: string | null; xml: string } | null> {
  const rows = await store.transaction('readonly', ['outbox'], (tx) =>
    tx.list('outbox', { index: 'state', equals: 'rejected' }),
  );
  for (const row of rows) {
    const item = (await codec.open(row.payload, payloadContext(row.seq))) as OutboxItem;
    if (item.instanceId === instanceId) return { seq: row.seq, recordId: row.recordId, xml: item.xml };
  }
  return null;
}

function lastSeqOf(row: { readonly value: unknown } | undefined): number {
  return typeof row?.value === 'number' ? row.value : 0;
}

/** Where an outbox payload lives, for a codec that binds values to their row. */
export function payloadContext(seq: number): CodecContext {
  return { store: 'outbox', key: seq, field: 'payload' };
}

/** Where a record's unsent edit lives. */
export function pendingContext(id: string): CodecContext {
  return { store: 'records', key: id, field: 'pending' };
}

/** Where a record's server version lives. */
export function dataContext(id: string): CodecContext {
  return { store: 'records', key: id, field: 'data' };
}
