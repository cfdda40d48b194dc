import { PROTOCOL_VERSION } from '@outpost/core';
import { branchAfterDiscard } from './offlineBranch.js';
import type { PushItemResult, PushRequest } from '@outpost/core';
import type { LocalStore, OutboxRejection, OutboxRow, RecordRow } from './LocalStore.js';
import { payloadContext, type OutboxItem } from './saveRecord.js';
import { plainCodec } from './ValueCodec.js';
import type { ValueCodec } from './ValueCodec.js';

/** An outbox row with its payload opened. */
export interface OutboxEntry {
  readonly seq: number;
  readonly state: OutboxRow['state'];
  readonly recordId: string | null;
  readonly bytes: number;
  readonly savedAt: string;
  readonly item: OutboxItem;
  readonly rejection: OutboxRejection | null;
}

interface CodecOption {
  readonly codec?: ValueCodec;
}

async function opened(rows: readonly OutboxRow[], codec: ValueCodec): Promise<OutboxEntry[]> {
  return Promise.all(
    rows.map(async ({ payload, ...row }) => ({
      ...row,
      item: (await codec.open(payload, payloadContext(row.seq))) as OutboxItem,
    })),
  );
}

/** How many saved items wait to be pushed (rejected ones not counted). */
export async function pendingCount(store: LocalStore): Promise<number> {
  return store.transaction('readonly', ['outbox'], (tx) => tx.count('outbox', { index: 'state', equals: 'pending' }));
}

/**
 * The oldest pending items, in device sequence order, up to `maxItems` and `maxBytes`. The first
 * item is returned even when it alone is larger than `maxBytes`: the server then rejects it with
 * a reason instead of it blocking everything behind it.
 */
export async function nextBatch(
  store: LocalStore,
  maxItems: number,
  maxBytes: number,
  options: CodecOption = {},
): Promise<OutboxEntry[]> {
  const rows: OutboxRow[] = [];
  let bytes = 0;
  await store.transaction('readonly', ['outbox'], (tx) =>
    tx.iterate('outbox', {}, (row) => {
      if (row.state !== 'pending') return true;
      if (rows.length >= maxItems || (rows.length > 0 && bytes + row.bytes > maxBytes)) return false;
      rows.push(row);
      bytes += row.bytes;
      return true;
    }),
  );
  return opened(rows, options.codec ?? plainCodec);
}

/** The PushRequest that sends `entries` (as returned by nextBatch, at least one). */
export function pushRequestFor(deviceId: string, entries: readonly OutboxEntry[]): PushRequest {
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (first === undefined || last === undefined) throw new Error('A push needs at least one outbox entry');
  return {
    protocol: PROTOCOL_VERSION,
    deviceId,
    fromSeq: first.seq,
    throughSeq: last.seq,
    items: entries.map((entry) => ({ seq: entry.seq, ...entry.item })),
  };
}

export interface Acknowledged {
  /** Entries the server has committed, now gone from the outbox. */
  readonly removed: number;
  /** Entries the server refused, kept with their reason. */
  readonly rejected: number;
}

/**
 * Applies a PushResult. Every pending entry up to `ackedThrough` has a committed outcome: accepted,
 * duplicate and parked ones leave the outbox; rejected ones stay, marked with the server's reason,
 * and are not pushed again. A record whose edit was rejected shows the server's version again; an
 * accepted edit stays visible until the next pulled version of the record replaces it. Results
 * above `ackedThrough` are ignored: those items are pushed again (the server treats repeats as
 * duplicates).
 */
export async function acknowledge(
  store: LocalStore,
  ackedThrough: number,
  results: readonly PushItemResult[],
  options: { readonly now?: () => Date } = {},
): Promise<Acknowledged> {
  const at = (options.now?.() ?? new Date()).toISOString();
  const bySeq = new Map(results.map((result) => [result.seq, result]));
  return store.transaction('readwrite', ['outbox', 'records'], async (tx) => {
    const rows = await tx.list('outbox', { index: 'state', equals: 'pending' });
    const settled = rows.filter((row) => row.seq <= ackedThrough);
    const recordIds = [...new Set(settled.flatMap(recordsOf))];
    const records = new Map(
      (await tx.getMany('records', recordIds)).flatMap((row) => (row === undefined ? [] : [[row.id, row] as const])),
    );
    const removed: number[] = [];
    const rejectedRows: OutboxRow[] = [];
    for (const row of settled) {
      const result = bySeq.get(row.seq);
      const rejected = result?.outcome === 'rejected';
      if (rejected) {
        rejectedRows.push({ ...row, state: 'rejected', rejection: rejectionOf(result, at) });
      } else {
        removed.push(row.seq);
      }
      for (const id of recordsOf(row)) {
        const record = records.get(id);
        if (record === undefined || record.pendingSeq !== row.seq) continue;
        const updated: RecordRow = rejected
          ? { ...record, pending: null, pendingSeq: 0 }
          : { ...record, pendingSeq: 0 };
        records.set(record.id, updated);
      }
    }
    await tx.delete('outbox', removed);
    await tx.put('outbox', rejectedRows);
    // A record edited only on this device and refused by the server never existed: drop it.
    await tx.put(
      'records',
      [...records.values()].filter((row) => row.version > 0 || row.pending !== null),
    );
    await tx.delete(
      'records',
      [...records.values()].filter((row) => row.version === 0 && row.pending === null).map((row) => row.id),
    );
    return { removed: removed.length, rejected: rejectedRows.length };
  });
}

/** Every record an outbox row edits: its own and those of the same submission's further entities. */
export function recordsOf(row: OutboxRow): string[] {
  return [...(row.recordId === null ? [] : [row.recordId]), ...(row.otherRecordIds ?? [])];
}

function rejectionOf(result: Extract<PushItemResult, { outcome: 'rejected' }>, at: string): OutboxRejection {
  return {
    code: result.code,
    ...(result.field === undefined ? {} : { field: result.field }),
    ...(result.detail === undefined ? {} : { detail: result.detail }),
    at,
  };
}

/** What this device saved for one record and has not yet had acknowledged, oldest first. */
export async function listUnsentOf(
  store: LocalStore,
  recordId: string,
  options: CodecOption = {},
): Promise<OutboxEntry[]> {
  const rows = await store.transaction('readonly', ['outbox'], (tx) => tx.list('outbox'));
  return opened(
    rows.filter((row) => recordsOf(row).includes(recordId)),
    options.codec ?? plainCodec,
  );
}

/** The entries the server refused, oldest first, with their reasons: for the user to see. */
export async function listRejected(store: LocalStore, options: CodecOption = {}): Promise<OutboxEntry[]> {
  const rows = await store.transaction('readonly', ['outbox'], (tx) =>
    tx.list('outbox', { index: 'state', equals: 'rejected' }),
  );
  return opened(rows, options.codec ?? plainCodec);
}

/**
 * Removes rejected entries the user has dealt with (fixed and saved again, or exported). A
 * discarded edit no longer counts in its record's run of offline edits (`branchAfterDiscard`).
 */
export async function discardRejected(
  store: LocalStore,
  seqs: readonly number[],
  options: CodecOption = {},
): Promise<void> {
  // Opened outside the writing transaction: unsealing awaits WebCrypto, which would end it.
  const rows = await store.transaction('readonly', ['outbox'], (tx) => tx.getMany('outbox', seqs));
  const entries = await opened(
    rows.filter((row): row is OutboxRow => row?.state === 'rejected'),
    options.codec ?? plainCodec,
  );
  await store.transaction('readwrite', ['outbox', 'records'], async (tx) => {
    const still = await tx.getMany(
      'outbox',
      entries.map((entry) => entry.seq),
    );
    const discarded = entries.filter((entry, i) => still[i]?.state === 'rejected');
    await tx.delete(
      'outbox',
      discarded.map((entry) => entry.seq),
    );
    const ids = [...new Set(discarded.flatMap((entry) => (entry.recordId === null ? [] : [entry.recordId])))];
    const records = new Map(
      (await tx.getMany('records', ids)).flatMap((row) => (row === undefined ? [] : [[row.id, row] as const])),
    );
    for (const entry of discarded) {
      const record = entry.recordId === null ? undefined : records.get(entry.recordId);
      if (record !== undefined)
        records.set(record.id, { ...record, branch: branchAfterDiscard(record, entry.item.xml) });
    }
    await tx.put('records', [...records.values()]);
  });
}

/**
 * The rescue file: everything not yet on the server (pending and rejected), as JSON a person can
 * hand to a supervisor when a device cannot sync. Contains the submissions in clear text.
 */
export async function exportUnsent(
  store: LocalStore,
  options: CodecOption & { readonly now?: () => Date } = {},
): Promise<string> {
  const [rows, deviceId] = await store.transaction('readonly', ['outbox', 'meta'], async (tx) => [
    await tx.list('outbox'),
    (await tx.get('meta', 'deviceId'))?.value,
  ]);
  const entries = await opened(rows, options.codec ?? plainCodec);
  return JSON.stringify(
    {
      format: 'outpost-unsent',
      formatVersion: 1,
      exportedAt: (options.now?.() ?? new Date()).toISOString(),
      deviceId: typeof deviceId === 'string' ? deviceId : null,
      entries: entries.map(({ seq, state, savedAt, rejection, item }) => ({ seq, state, savedAt, rejection, item })),
    },
    null,
    2,
  );
}
