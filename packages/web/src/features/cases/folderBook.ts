import { ApiProblem } from '../../transport/ApiProblem.js';
import type { CaseFolder, FoldersApi, NewCaseFolder, ProjectFolders } from '../../api/FoldersApi.js';
import type { LocalStore } from '../../store/LocalStore.js';
import type { ValueCodec } from '../../store/ValueCodec.js';

/** A change to folders made on the device, kept until the server has it. */
export type FolderChange =
  | { readonly op: 'create'; readonly folder: NewCaseFolder }
  | { readonly op: 'delete'; readonly folderId: string }
  | { readonly op: 'set'; readonly folderId: string; readonly caseId: string; readonly inFolder: boolean };

/** The folders of one project on this device: the server's last answer and the changes not yet sent. */
export interface FolderBook {
  readonly server: ProjectFolders;
  readonly pending: readonly FolderChange[];
  /** Changes the server refused (a case that left the user's reach, a name taken): dropped, counted. */
  readonly refused: number;
}

export const emptyBook: FolderBook = { server: { items: [], categories: [] }, pending: [], refused: 0 };

/** The folders as the user sees them: the server's, with her unsent changes laid over them. */
export function foldersOf(book: FolderBook): CaseFolder[] {
  const folders = new Map(book.server.items.map((folder) => [folder.id, folder]));
  for (const change of book.pending) {
    if (change.op === 'create') {
      if (!folders.has(change.folder.id)) {
        folders.set(change.folder.id, {
          ...change.folder,
          query: change.folder.query ?? null,
          caseIds: [],
          mine: true,
        });
      }
    } else if (change.op === 'delete') {
      folders.delete(change.folderId);
    } else {
      const folder = folders.get(change.folderId);
      if (folder === undefined) continue;
      const others = folder.caseIds.filter((id) => id !== change.caseId);
      folders.set(folder.id, { ...folder, caseIds: change.inFolder ? [...others, change.caseId] : others });
    }
  }
  return [...folders.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Case id → the ids of the (non-smart) folders it is in. */
export function folderIndex(folders: readonly CaseFolder[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const folder of folders) {
    if (folder.query !== null) continue;
    for (const id of folder.caseIds) index.set(id, [...(index.get(id) ?? []), folder.id]);
  }
  return index;
}

/** No answer at all (offline, server down): try again later. A server's "no" is final. */
function unanswered(error: unknown): boolean {
  return error instanceof ApiProblem && (error.status === 0 || error.status >= 500);
}

/**
 * Sends the unsent changes in the order they were made, then reads the folders back. Stops at the
 * first change that gets no answer (it and those after it stay); a refused change is dropped and
 * counted, so one bad change never blocks the others. Folder ids are made on the device, so a
 * change sent twice (the answer lost on the way back) is one change on the server.
 */
export async function sendChanges(book: FolderBook, api: FoldersApi, projectId: string): Promise<FolderBook> {
  const pending = [...book.pending];
  let refused = book.refused;
  while (pending.length > 0) {
    const change = pending[0];
    if (change === undefined) break;
    try {
      if (change.op === 'create') await api.createFolder(projectId, change.folder);
      else if (change.op === 'delete') await api.deleteFolder(projectId, change.folderId);
      else await api.setFolderCase(projectId, change.folderId, change.caseId, change.inFolder);
    } catch (error) {
      if (unanswered(error)) return { server: book.server, pending, refused };
      // Deleting what is already gone is done.
      if (!(change.op === 'delete' && error instanceof ApiProblem && error.status === 404)) refused += 1;
    }
    pending.shift();
  }
  try {
    return { server: await api.listFolders(projectId), pending, refused };
  } catch (error) {
    if (unanswered(error)) return { server: book.server, pending, refused };
    throw error;
  }
}

const bookKey = (projectId: string): string => `folders:${projectId}`;

/** The book as the device keeps it, sealed like every record. */
export async function readBook(store: LocalStore, codec: ValueCodec, projectId: string): Promise<FolderBook> {
  const key = bookKey(projectId);
  const row = await store.transaction('readonly', ['meta'], (tx) => tx.get('meta', key));
  if (row === undefined) return emptyBook;
  const value = (await codec.open(row.value, { store: 'meta', key })) as FolderBook | null;
  return value ?? emptyBook;
}

export async function writeBook(
  store: LocalStore,
  codec: ValueCodec,
  projectId: string,
  book: FolderBook,
): Promise<void> {
  const key = bookKey(projectId);
  const value = await codec.seal(book, { store: 'meta', key });
  await store.transaction('readwrite', ['meta'], (tx) => tx.put('meta', [{ key, value }]));
}

const chains = new WeakMap<LocalStore, Map<string, Promise<unknown>>>();

/**
 * Reads a project's book, applies `step` and writes the result, after every earlier update of
 * the same book on this device (the case list's and the app's folder sender share the queue, so a
 * change is never sent twice). Resolves with the book as written.
 */
export function updateBook(
  store: LocalStore,
  codec: ValueCodec,
  projectId: string,
  step: (current: FolderBook) => Promise<FolderBook> | FolderBook,
): Promise<FolderBook> {
  let perStore = chains.get(store);
  if (perStore === undefined) chains.set(store, (perStore = new Map<string, Promise<unknown>>()));
  const run = async (): Promise<FolderBook> => {
    const next = await step(await readBook(store, codec, projectId));
    await writeBook(store, codec, projectId, next);
    return next;
  };
  const previous = perStore.get(projectId) ?? Promise.resolve();
  const current = previous.then(run, run);
  perStore.set(
    projectId,
    current.catch(() => undefined),
  );
  return current;
}

/** Sends the folder changes a project's book still holds (any screen, after any sync). */
export function sendPendingFolderChanges(
  store: LocalStore,
  codec: ValueCodec,
  api: FoldersApi,
  projectId: string,
): Promise<FolderBook> {
  return updateBook(store, codec, projectId, (book) =>
    book.pending.length === 0 ? book : sendChanges(book, api, projectId),
  );
}
