import type { PushItem } from '@outpost/core';
import type { LocalStore, OutboxRow, RecordRow } from './LocalStore.js';
import { plainCodec } from './ValueCodec.js';
import type { ValueCodec } from './ValueCodec.js';

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
  const [payload, pending] = await Promise.all([
    codec.seal(item),
    record === null ? Promise.resolve(null) : codec.seal(record.properties),
  ]);

  return store.transaction('readwrite', ['records', 'outbox', 'meta'], async (tx) => {
    const last = await tx.get('meta', lastSeqKey);
    const seq = (typeof last?.value === 'number' ? last.value : 0) + 1;
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
}
