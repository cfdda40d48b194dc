import Dexie, { type EntityTable } from 'dexie';
import type { StoredValue } from '../store/LocalStore.js';
import { plainCodec, type CodecContext, type ValueCodec } from '../store/ValueCodec.js';
import type { InstanceAttachment } from './openForm.js';

/** A form being filled: what survives a reload, a closed tab or a dead battery until it is finalized. */
export interface Draft {
  /** The instance's `instanceID`, so a draft and the submission it becomes share one id. */
  readonly id: string;
  readonly projectId: string;
  readonly formId: string;
  readonly version: string;
  readonly formTitle: string;
  /** The instance label (`instanceName`), '' until the form can compute it. */
  readonly label: string;
  /** ISO 8601 */
  readonly savedAt: string;
  readonly xml: string;
  /** Photos as bytes: Blobs do not survive structured cloning everywhere IndexedDB runs. */
  readonly attachments: readonly InstanceAttachment[];
}

export interface DraftStore {
  save(draft: Draft): Promise<void>;
  get(id: string): Promise<Draft | undefined>;
  /** Newest first. */
  list(projectId: string): Promise<readonly Draft[]>;
  /** Drafts of every project, for the warning before logout. */
  count(): Promise<number>;
  remove(id: string): Promise<void>;
  close(): void;
}

export interface DraftStoreOptions {
  readonly name?: string;
  /** fake-indexeddb in tests; the browser's own by default. */
  readonly indexedDB?: IDBFactory;
  readonly IDBKeyRange?: typeof IDBKeyRange;
  /**
   * Seals each draft's answers and photos (the vault's codec in the app). Only the id, the
   * project and the time are kept readable, to list drafts without opening them all.
   */
  readonly codec?: ValueCodec;
}

export const draftDatabaseName = 'outpost-drafts';

/** A draft as IndexedDB keeps it: everything the user typed is in `body`, sealed by the codec. */
interface DraftRow {
  readonly id: string;
  readonly projectId: string;
  readonly savedAt: string;
  readonly body: StoredValue;
  /** The photos' bytes, each sealed on its own (JSON cannot carry bytes), in the body's order. */
  readonly files: readonly StoredValue[];
}

interface DraftBody extends Omit<Draft, 'id' | 'projectId' | 'savedAt' | 'attachments'> {
  readonly attachments: readonly { readonly name: string; readonly type: string }[];
}

const bodyContext = (id: string): CodecContext => ({ store: 'drafts', key: id, field: 'body' });
const fileContext = (id: string, index: number): CodecContext => ({ store: 'drafts', key: id, field: `file${index}` });

/**
 * Drafts in a small IndexedDB database of their own, sealed by the codec (the device vault in the
 * app), so a half-filled form leaves no plaintext on the tablet either.
 */
export function createDraftStore(options: DraftStoreOptions = {}): DraftStore {
  const codec = options.codec ?? plainCodec;
  const db = new Dexie(options.name ?? draftDatabaseName, {
    ...(options.indexedDB === undefined ? {} : { indexedDB: options.indexedDB }),
    ...(options.IDBKeyRange === undefined ? {} : { IDBKeyRange: options.IDBKeyRange }),
  }) as Dexie & { drafts: EntityTable<DraftRow, 'id'> };
  // Version 2: the answers moved into the sealed `body`; drafts kept in clear text are dropped.
  db.version(1).stores({ drafts: 'id, projectId, savedAt' });
  db.version(2)
    .stores({ drafts: 'id, projectId, savedAt' })
    .upgrade((tx) => tx.table('drafts').clear());

  const open = async (row: DraftRow): Promise<Draft> => {
    const body = (await codec.open(row.body, bodyContext(row.id))) as DraftBody;
    const attachments = await Promise.all(
      body.attachments.map(async ({ name, type }, index) => ({
        name,
        type,
        bytes: await bytesOf(await codec.open(row.files[index] ?? null, fileContext(row.id, index))),
      })),
    );
    return { ...body, attachments, id: row.id, projectId: row.projectId, savedAt: row.savedAt };
  };

  return {
    async save(draft) {
      const { id, projectId, savedAt, attachments, ...rest } = draft;
      const body: DraftBody = { ...rest, attachments: attachments.map(({ name, type }) => ({ name, type })) };
      const [sealed, files] = await Promise.all([
        codec.seal(body, bodyContext(id)),
        Promise.all(attachments.map((file, index) => codec.seal(file.bytes, fileContext(id, index)))),
      ]);
      await db.drafts.put({ id, projectId, savedAt, body: sealed, files });
    },
    async get(id) {
      const row = await db.drafts.get(id);
      return row === undefined ? undefined : open(row);
    },
    async list(projectId) {
      const rows = await db.drafts.where('projectId').equals(projectId).toArray();
      const drafts = await Promise.all(rows.map(open));
      return drafts.toSorted((a, b) => b.savedAt.localeCompare(a.savedAt));
    },
    async count() {
      return db.drafts.count();
    },
    async remove(id) {
      await db.drafts.delete(id);
    },
    close: () => db.close(),
  };
}

/** The vault gives bytes back as Uint8Array (or Blob); a draft's photo is an ArrayBuffer. */
async function bytesOf(value: unknown): Promise<ArrayBuffer> {
  if (value instanceof ArrayBuffer) return value;
  if (typeof Blob !== 'undefined' && value instanceof Blob) return value.arrayBuffer();
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice().buffer;
  }
  throw new TypeError('A draft photo could not be read back');
}
