import type { LocalStore, OutboxRejection, OutboxRow, RecordRow } from '../store/LocalStore.js';
import { dataContext, pendingContext } from '../store/saveRecord.js';
import { recordsOf } from '../store/outbox.js';
import { plainCodec } from '../store/ValueCodec.js';
import type { ValueCodec } from '../store/ValueCodec.js';

/**
 * Where a record stands between this device and the server:
 * - `pending`: the user's edit is saved here and waits to be sent;
 * - `rejected`: the server refused the edit; `rejection` says why;
 * - `sent`: the server has the edit; its next pulled version has not arrived yet;
 * - `synced`: the device holds the server's version and nothing of its own.
 */
export type RecordSyncState = 'pending' | 'rejected' | 'sent' | 'synced';

export interface DeviceRecord {
  readonly id: string;
  readonly list: string;
  /** The project the record belongs to, when known (see projectOf). */
  readonly projectId: string | null;
  readonly label: string;
  readonly status: string | null;
  readonly state: RecordSyncState;
  readonly rejection: OutboxRejection | null;
  /** The outbox seq of the refused or waiting edit, for retry and discard. */
  readonly seq: number | null;
  /** The properties as shown: the device's own edit laid over the server's version. */
  readonly properties: Readonly<Record<string, unknown>>;
  /** The server version and the outbox seq of the device's edit: what the opened values depend on. */
  readonly version: number;
  readonly pendingSeq: number;
}

/**
 * The records on this device with their sync state, for the case list and the "Not sent" list.
 * Opens each value with the codec outside the store transaction.
 */
export async function listDeviceRecords(
  store: LocalStore,
  options: {
    readonly codec?: ValueCodec;
    readonly projectId?: string;
    /**
     * The last result: a record with the same version and pending edit keeps its opened values
     * (and, when its sync state is the same too, the very same object), so only what changed is
     * decrypted again.
     */
    readonly previous?: ReadonlyMap<string, DeviceRecord>;
  } = {},
): Promise<DeviceRecord[]> {
  const codec = options.codec ?? plainCodec;
  const [records, outbox] = await store.transaction('readonly', ['records', 'outbox'], async (tx) => [
    await tx.list('records'),
    await tx.list('outbox'),
  ]);
  const waiting = waitingEdits(outbox);
  const opened = await Promise.all(
    records.map((row) => openRecord(row, waiting.get(row.id), codec, options.previous?.get(row.id))),
  );
  return opened
    .filter((record) => inProject(record, options.projectId))
    .sort((a, b) => labelOrder.compare(a.label, b.label));
}

/** The device's records as opened at one moment, with the highest change stamp read (see changeStamp.ts). */
export interface OpenedDeviceRecords {
  /** Every project's records, in label order. */
  readonly all: readonly DeviceRecord[];
  readonly byId: ReadonlyMap<string, DeviceRecord>;
  readonly rev: number;
}

/**
 * The device's records, all projects, opened against `previous` (the last result) when given: only
 * rows written since `previous.rev` are read from the store (an index range, not the whole store)
 * and only those whose version or pending edit changed are decrypted. The outbox is read whole
 * (it is small) so every record's sync state is current. When the store holds fewer rows than
 * `previous` and the changed rows together (records evicted or removed), every row is read again,
 * in the same transaction, and nothing removed is kept.
 */
export async function openDeviceRecords(
  store: LocalStore,
  codec: ValueCodec,
  previous?: OpenedDeviceRecords,
): Promise<OpenedDeviceRecords> {
  const read = await store.transaction('readonly', ['records', 'outbox'], async (tx) => {
    const outbox = await tx.list('outbox');
    if (previous === undefined) return { rows: await tx.list('records'), outbox, whole: true };
    const [count, changed] = await Promise.all([
      tx.count('records'),
      tx.list('records', { index: 'rev', lower: previous.rev, lowerOpen: true }),
    ]);
    const added = changed.filter((row) => !previous.byId.has(row.id)).length;
    if (count === previous.byId.size + added) return { rows: changed, outbox, whole: false };
    return { rows: await tx.list('records'), outbox, whole: true };
  });
  const waiting = waitingEdits(read.outbox);
  const known = previous?.byId;
  const opened = await Promise.all(
    read.rows.map((row) => openRecord(row, waiting.get(row.id), codec, known?.get(row.id))),
  );
  const rev = read.rows.reduce((highest, row) => Math.max(highest, row.rev ?? 0), previous?.rev ?? 0);
  if (read.whole || previous === undefined) return sortedOpened(opened, rev);
  const changed = new Map(opened.map((record) => [record.id, record]));
  const kept = previous.all.map((record) => changed.get(record.id) ?? restate(record, waiting.get(record.id)));
  const labelsKept = opened.every((record) => previous.byId.get(record.id)?.label === record.label);
  if (labelsKept) return { all: kept, byId: new Map(kept.map((record) => [record.id, record])), rev };
  return sortedOpened([...kept, ...opened.filter((record) => !previous.byId.has(record.id))], rev);
}

function sortedOpened(records: DeviceRecord[], rev: number): OpenedDeviceRecords {
  const all = records.sort((a, b) => labelOrder.compare(a.label, b.label));
  return { all, byId: new Map(all.map((record) => [record.id, record])), rev };
}

function waitingEdits(outbox: readonly OutboxRow[]): Map<string, OutboxRow> {
  const waiting = new Map<string, OutboxRow>();
  for (const row of outbox) for (const id of recordsOf(row)) waiting.set(id, row);
  return waiting;
}

// One collator for every comparison: `localeCompare` builds one per call (10,000 cases: ~130,000 calls).
const labelOrder = new Intl.Collator();

/** Whether a record belongs to `projectId` (any project when undefined; a record of unknown project always). */
export function inProject(record: DeviceRecord, projectId: string | undefined): boolean {
  return projectId === undefined || record.projectId === null || record.projectId === projectId;
}

/** One record of this device with its sync state, or undefined when the device does not hold it. */
export async function getDeviceRecord(
  store: LocalStore,
  id: string,
  options: { readonly codec?: ValueCodec } = {},
): Promise<DeviceRecord | undefined> {
  const [row, outbox] = await store.transaction('readonly', ['records', 'outbox'], async (tx) => [
    await tx.get('records', id),
    await tx.list('outbox'),
  ]);
  if (row === undefined) return undefined;
  const entry = outbox.findLast((o) => recordsOf(o).includes(id));
  return openRecord(row, entry, options.codec ?? plainCodec);
}

/**
 * Opens one record. `known` is the same record as opened before: when neither its version nor its
 * pending edit changed, its properties are reused instead of decrypted again.
 */
async function openRecord(
  row: RecordRow,
  entry: OutboxRow | undefined,
  codec: ValueCodec,
  known?: DeviceRecord,
): Promise<DeviceRecord> {
  const unchanged = known !== undefined && known.version === row.version && known.pendingSeq === row.pendingSeq;
  if (unchanged) return restate(known, entry);
  const properties = await openProperties(row, codec);
  const projectId = typeof properties['__projectId'] === 'string' ? properties['__projectId'] : projectOf(row.scope);
  return {
    id: row.id,
    list: row.list,
    projectId,
    label: typeof properties['__label'] === 'string' && properties['__label'] !== '' ? properties['__label'] : row.id,
    status: typeof properties['__status'] === 'string' ? properties['__status'] : null,
    state: syncState(entry, row.version),
    rejection: entry?.rejection ?? null,
    seq: entry?.seq ?? null,
    properties,
    version: row.version,
    pendingSeq: row.pendingSeq,
  };
}

/** An opened record whose values did not change, with the sync state of `entry`: the same object when that did not change either. */
function restate(known: DeviceRecord, entry: OutboxRow | undefined): DeviceRecord {
  const seq = entry?.seq ?? null;
  const rejection = entry?.rejection ?? null;
  const state = syncState(entry, known.version);
  if (known.seq === seq && known.rejection === rejection && known.state === state) return known;
  return { ...known, state, rejection, seq };
}

function syncState(entry: OutboxRow | undefined, version: number): RecordSyncState {
  return entry?.state === 'rejected' ? 'rejected' : entry !== undefined ? 'pending' : version === 0 ? 'sent' : 'synced';
}

async function openProperties(row: RecordRow, codec: ValueCodec): Promise<Record<string, unknown>> {
  const edit = row.pending === null ? null : await codec.open(row.pending, pendingContext(row.id));
  const server = row.data === null ? null : await codec.open(row.data, dataContext(row.id));
  // The device's own edit laid over the server's version: an update carries only what it set.
  return { ...(isObject(server) ? server : {}), ...(isObject(edit) ? edit : {}) };
}

/**
 * The project of a pulled record, read from its scope name. The server names scopes
 * `p.<projectId>.<generation>.<slice>` (server/src/sync/syncReach.ts); the protocol does not carry
 * the project otherwise.
 */
export function projectOf(scope: string): string | null {
  return /^p\.([^.]+)\./.exec(scope)?.[1] ?? null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
