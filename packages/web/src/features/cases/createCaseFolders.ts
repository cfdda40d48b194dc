import { createEffect, createMemo, createSignal, on, type Accessor } from 'solid-js';
import type { CaseCategoryDefinition, CaseFolder, FoldersApi } from '../../api/FoldersApi.js';
import type { DeviceSync } from '../../device/createDeviceSync.js';
import {
  emptyBook,
  folderIndex,
  foldersOf,
  sendChanges,
  updateBook,
  type FolderBook,
  type FolderChange,
} from './folderBook.js';

export interface CaseFolders {
  readonly folders: Accessor<readonly CaseFolder[]>;
  readonly categories: Accessor<readonly CaseCategoryDefinition[]>;
  /** The folders (ids) a case is in. */
  readonly foldersOfCase: Accessor<(caseId: string) => readonly string[]>;
  /** Changes made on this device that the server does not have yet. */
  readonly unsent: Accessor<number>;
  create(name: string, kind: 'personal' | 'team', query?: string | null): Promise<string>;
  remove(folderId: string): Promise<void>;
  setCase(folderId: string, caseId: string, inFolder: boolean): Promise<void>;
}

/**
 * The folders of one project, offline first: a change shows at once and is kept, sealed, on the
 * device; it is sent when the server can be reached (now, after the next sync, on reconnecting),
 * and the folders are read back, so a colleague's team folder arrives with the next sync.
 */
export function createCaseFolders(options: {
  readonly api: FoldersApi;
  readonly device: Accessor<DeviceSync | undefined>;
  readonly projectId: Accessor<string>;
}): CaseFolders {
  const [book, setBook] = createSignal<FolderBook>(emptyBook);
  /** Runs `step` on the current project's book, in the device's one queue for it, and shows the result. */
  const queue = async (step: (current: FolderBook) => Promise<FolderBook> | FolderBook): Promise<void> => {
    const device = options.device();
    const projectId = options.projectId();
    if (device === undefined) return;
    const next = await updateBook(device.store, device.codec, projectId, step);
    if (options.projectId() === projectId) setBook(next);
  };
  const send = (): Promise<void> => queue((current) => sendChanges(current, options.api, options.projectId()));
  const change = (item: FolderChange): Promise<void> =>
    queue((current) => ({ ...current, pending: [...current.pending, item] })).then(() => {
      void send().catch(() => undefined);
    });

  // A project opened, a device unlocked, a sync finished (perhaps just back online): send and read back.
  createEffect(
    on([() => options.device(), options.projectId, () => options.device()?.status().lastSuccessAt], () => {
      void send().catch(() => undefined);
    }),
  );

  const folders = createMemo(() => foldersOf(book()));
  const index = createMemo(() => folderIndex(folders()));
  return {
    folders,
    categories: () => book().server.categories,
    foldersOfCase: () => {
      const map = index();
      return (caseId) => map.get(caseId) ?? [];
    },
    unsent: () => book().pending.length,
    async create(name, kind, query = null) {
      const id = crypto.randomUUID();
      await change({ op: 'create', folder: { id, name, kind, query } });
      return id;
    },
    remove: (folderId) => change({ op: 'delete', folderId }),
    setCase: (folderId, caseId, inFolder) => change({ op: 'set', folderId, caseId, inFolder }),
  };
}
