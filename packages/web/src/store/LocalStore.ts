// The device store port. The sync code (saveRecord, applyPullPage, outbox) speaks only to this;
// createMemoryStore() and createIndexedDbStore() implement it and pass one contract suite
// (localStoreContract.ts).
//
// Values are opaque: the store reads only each row's primary key and the indexed fields declared
// in localStoreSchema. Everything in `data`, `pending`, `payload` and `value` may be ciphertext.
import type { StoreName, localStoreSchema } from './localStoreSchema.js';
import type { OfflineBranch } from './offlineBranch.js';

export type { StoreName } from './localStoreSchema.js';

/** Anything the structured-clone algorithm can copy; the store never looks inside. */
export type StoredValue = unknown;

/** A record (case, household …) as the device holds it. */
export interface RecordRow {
  readonly id: string;
  readonly list: string;
  /** The server scope the record is filed under; '' for a record created here and never pulled. */
  readonly scope: string;
  /** The server version held in `data`; 0 before the first pull. */
  readonly version: number;
  /** The server commit sequence of that version; 0 before the first pull. */
  readonly seq: number;
  /** The record as the server last sent it (already redacted); null before the first pull. */
  readonly data: StoredValue;
  /** The device's own edit not yet acknowledged by the server: shown instead of `data`. */
  readonly pending: StoredValue;
  /** The outbox seq of that edit; 0 when there is none. */
  readonly pendingSeq: number;
  /** The run of offline edits this device made of the record (ids and versions only). */
  readonly branch?: OfflineBranch | null;
  /**
   * The device change stamp: written by the store on every put (changeStamp.ts), whatever the row
   * carries; higher for every later write. Absent only on a row not yet stored.
   */
  readonly rev?: number;
}

export interface OutboxRejection {
  readonly code: string;
  readonly field?: string;
  readonly detail?: string;
  /** ISO 8601, when the server's answer was stored. */
  readonly at: string;
}

/** Something the user saved that the server has not yet acknowledged. */
export interface OutboxRow {
  /** The device sequence number: 1, 2, 3 … never reused, even after acknowledgement. */
  readonly seq: number;
  /** `pending` is pushed; `rejected` stays, with its reason, until the user deals with it. */
  readonly state: 'pending' | 'rejected';
  /** The record this entry edits, or null for a submission that touches no record. */
  readonly recordId: string | null;
  /**
   * Further records the same submission creates or edits (one per repeat instance, e.g. each
   * household member, or a second entity list); absent on rows saved before there could be any.
   */
  readonly otherRecordIds?: readonly string[];
  /** Size of the payload as JSON in UTF-8, measured before it was sealed: for batching. */
  readonly bytes: number;
  /** ISO 8601, when it was saved. */
  readonly savedAt: string;
  readonly payload: StoredValue;
  readonly rejection: OutboxRejection | null;
}

export interface CursorRow {
  readonly scope: string;
  /** The server commit sequence the device holds this scope up to. */
  readonly cursor: number;
}

export interface MetaRow {
  readonly key: string;
  readonly value: StoredValue;
}

export interface AttachmentQueueRow {
  readonly sha256: string;
  readonly state: 'pending' | 'uploading' | 'done';
  /** Bytes the server has confirmed, so an upload resumes where it stopped. */
  readonly offset: number;
  readonly bytes: number;
  readonly value: StoredValue;
}

export interface StoreRows {
  records: RecordRow;
  outbox: OutboxRow;
  cursors: CursorRow;
  meta: MetaRow;
  attachmentsQueue: AttachmentQueueRow;
}

type Stores = typeof localStoreSchema.stores;
export type KeyField<S extends StoreName> = Stores[S]['key'] & keyof StoreRows[S];
export type KeyOf<S extends StoreName> = StoreRows[S][KeyField<S>];
export type IndexOf<S extends StoreName> = Stores[S]['indexes'][number];
export type RowOf<S extends StoreName> = StoreRows[S];

/** An IndexedDB key: numbers sort before strings, strings before arrays. */
export type IndexKey = number | string | readonly IndexKey[];

/** A key range over the primary key, or over `index` when given. */
export interface RangeQuery<S extends StoreName> {
  readonly index?: IndexOf<S>;
  readonly equals?: IndexKey;
  readonly lower?: IndexKey;
  readonly upper?: IndexKey;
  readonly lowerOpen?: boolean;
  readonly upperOpen?: boolean;
}

export interface ListQuery<S extends StoreName> extends RangeQuery<S> {
  readonly limit?: number;
  readonly reverse?: boolean;
}

/**
 * One transaction. Rows come back in key order (index value, then primary key). Bulk calls take
 * arrays so an adapter can use its bulk API.
 */
export interface StoreTransaction {
  get<S extends StoreName>(store: S, key: KeyOf<S>): Promise<RowOf<S> | undefined>;
  getMany<S extends StoreName>(store: S, keys: readonly KeyOf<S>[]): Promise<(RowOf<S> | undefined)[]>;
  put<S extends StoreName>(store: S, rows: readonly RowOf<S>[]): Promise<void>;
  delete<S extends StoreName>(store: S, keys: readonly KeyOf<S>[]): Promise<void>;
  clear(store: StoreName): Promise<void>;
  count<S extends StoreName>(store: S, query?: RangeQuery<S>): Promise<number>;
  list<S extends StoreName>(store: S, query?: ListQuery<S>): Promise<RowOf<S>[]>;
  /** Visits rows in order; return false from `visit` to stop. */
  iterate<S extends StoreName>(store: S, query: ListQuery<S>, visit: (row: RowOf<S>) => boolean | void): Promise<void>;
}

export type TransactionMode = 'readonly' | 'readwrite';

export interface LocalStore {
  readonly name: string;
  /**
   * Runs `body` in one transaction over `stores`: all its writes land, or none do (the promise
   * then rejects with what `body` threw). Transactions over the same stores do not see each
   * other's uncommitted writes. As in IndexedDB, `body` may await only the transaction's own
   * calls: do slow work (encryption, network) before or after, never inside.
   */
  transaction<T>(
    mode: TransactionMode,
    stores: readonly StoreName[],
    body: (tx: StoreTransaction) => Promise<T>,
  ): Promise<T>;
  close(): Promise<void>;
  /** Closes the store and erases it from the device (remote wipe, logout). */
  destroy(): Promise<void>;
}

/** True for the error a browser throws when the device's storage is full. */
export function isQuotaExceeded(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, inner } = error as { name?: unknown; inner?: unknown };
  return name === 'QuotaExceededError' || (inner !== undefined && inner !== error && isQuotaExceeded(inner));
}
