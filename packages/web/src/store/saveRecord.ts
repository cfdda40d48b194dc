import type { PushItem } from '@outpost/core';
import type { LocalStore, OutboxRow, RecordRow } from './LocalStore.js';
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
}

/** Where the last device sequence number given out is kept, so seqs are never reused. */
export const lastSeqKey = 'outbox.lastSeq';

const utf8 = new TextEncoder();

/**
 * Saves what the user entered: the record as they now see it and the submission that tells the
 * server, in one transaction, under the next device sequence number. Either both are stored or
 * neither is. `record` is null for a submission that creates or changes no record.
 */
export async function saveRecord(
  store: LocalStore,
  record: LocalEdit | null,
  item: OutboxItem,
  options: SaveOptions = {},
): Promise<{ readonly seq: number }> {
  const codec = options.codec ?? plainCodec;
  const savedAt = (options.now?.() ?? new Date()).toISOString();
  const bytes = utf8.encode(JSON.stringify(item)).length;
  const pending = record === null ? null : await codec.seal(record.properties, pendingContext(record.id));

  // The payload is sealed under its seq (bound to its row), and sealing cannot run inside the
  // transaction: read the next seq, seal, and write only if no other save took that seq meanwhile.
  for (;;) {
    const expected = await store.transaction('readonly', ['meta'], async (tx) =>
      lastSeqOf(await tx.get('meta', lastSeqKey)),
    );
    const payload = await codec.seal(item, payloadContext(expected + 1));
    const saved = await store.transaction('readwrite', ['records', 'outbox', 'meta'], async (tx) => {
      const last = lastSeqOf(await tx.get('meta', lastSeqKey));
      if (last !== expected) return null;
      const seq = last + 1;
      const entry: OutboxRow = {
        seq,
        state: 'pending',
        recordId: record?.id ?? null,
        bytes,
        savedAt,
        payload,
        rejection: null,
      };
      await tx.put('meta', [{ key: lastSeqKey, value: seq }]);
      await tx.put('outbox', [entry]);
      if (record !== null) {
        const existing = await tx.get('records', record.id);
        const row: RecordRow = existing
          ? { ...existing, pending, pendingSeq: seq }
          : { id: record.id, list: record.list, scope: '', version: 0, seq: 0, data: null, pending, pendingSeq: seq };
        await tx.put('records', [row]);
      }
      return { seq };
    });
    if (saved !== null) return saved;
  }
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
