import Dexie, { type EntityTable } from 'dexie';
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
  remove(id: string): Promise<void>;
  close(): void;
}

export interface DraftStoreOptions {
  readonly name?: string;
  /** fake-indexeddb in tests; the browser's own by default. */
  readonly indexedDB?: IDBFactory;
  readonly IDBKeyRange?: typeof IDBKeyRange;
}

export const draftDatabaseName = 'outpost-drafts';

/**
 * Drafts in a small IndexedDB database of their own. Interim: the encrypted local store will take
 * them over, keeping this interface.
 */
export function createDraftStore(options: DraftStoreOptions = {}): DraftStore {
  const db = new Dexie(options.name ?? draftDatabaseName, {
    ...(options.indexedDB === undefined ? {} : { indexedDB: options.indexedDB }),
    ...(options.IDBKeyRange === undefined ? {} : { IDBKeyRange: options.IDBKeyRange }),
  }) as Dexie & { drafts: EntityTable<Draft, 'id'> };
  db.version(1).stores({ drafts: 'id, projectId, savedAt' });

  return {
    async save(draft) {
      await db.drafts.put(draft);
    },
    get: (id) => db.drafts.get(id),
    async list(projectId) {
      const drafts = await db.drafts.where('projectId').equals(projectId).toArray();
      return drafts.toSorted((a, b) => b.savedAt.localeCompare(a.savedAt));
    },
    async remove(id) {
      await db.drafts.delete(id);
    },
    close: () => db.close(),
  };
}

let browserStore: DraftStore | undefined;

/** The one draft store of this page, opened on first use. */
export function browserDrafts(): DraftStore {
  browserStore ??= createDraftStore();
  return browserStore;
}
