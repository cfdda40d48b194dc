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
  const waiting = new Map<string, (typeof outbox)[number]>();
  for (const row of outbox) for (const id of recordsOf(row)) waiting.set(id, row);
  const opened = await Promise.all(
    records.map((row) => openRecord(row, waiting.get(row.id), codec, options.previous?.get(row.id))),
  );
  return opened
    .filter((record) => inProject(record, options.projectId))
    .sort((a, b) => labelOrder.compare(a.label, b.label));
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
  if (unchanged && known.seq === (entry?.seq ?? null) && known.rejection === (entry?.rejection ?? null)) return known;
  const properties = unchanged ? known.properties : await openProperties(row, codec);
  const state: RecordSyncState =
    entry?.state === 'rejected' ? 'rejected' : entry !== undefined ? 'pending' : row.version === 0 ? 'sent' : 'synced';
  const projectId = typeof properties['__projectId'] === 'string' ? properties['__projectId'] : projectOf(row.scope);
  return {
    id: row.id,
    list: row.list,
    projectId,
    label: typeof properties['__label'] === 'string' && properties['__label'] !== '' ? properties['__label'] : row.id,
    status: typeof properties['__status'] === 'string' ? properties['__status'] : null,
    state,
    rejection: entry?.rejection ?? null,
    seq: entry?.seq ?? null,
    properties,
    version: row.version,
    pendingSeq: row.pendingSeq,
  };
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
