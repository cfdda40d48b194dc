// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../../transport/ApiProblem.js';
import type { CaseFolder, FoldersApi, NewCaseFolder } from '../../api/FoldersApi.js';
import { createIndexedDbStore } from '../../store/indexedDbStore.js';
import { uniqueName } from '../../store/localStoreContract.js';
import { plainCodec } from '../../store/ValueCodec.js';
import {
  emptyBook,
  folderIndex,
  foldersOf,
  readBook,
  sendChanges,
  sendPendingFolderChanges,
  updateBook,
  writeBook,
  type FolderBook,
} from './folderBook.js';

/** A server that keeps folders as the real one does (ids from the device, idempotent), and can go away. */
function fakeServer() {
  const folders = new Map<string, CaseFolder>();
  let online = true;
  const calls: string[] = [];
  const reachable = () => {
    if (!online) throw ApiProblem.unreachable(new TypeError('Failed to fetch'));
  };
  const api: FoldersApi = {
    listFolders: async () => {
      reachable();
      return { items: [...folders.values()], categories: [] };
    },
    createFolder: async (_projectId, folder: NewCaseFolder) => {
      reachable();
      calls.push(`create ${folder.name}`);
      const made: CaseFolder = { ...folder, query: folder.query ?? null, caseIds: [], mine: true };
      if (!folders.has(folder.id)) folders.set(folder.id, made);
      return folders.get(folder.id) ?? made;
    },
    deleteFolder: async (_projectId, folderId) => {
      reachable();
      folders.delete(folderId);
    },
    setFolderCase: async (_projectId, folderId, caseId, inFolder) => {
      reachable();
      calls.push(`${inFolder ? 'add' : 'remove'} ${caseId}`);
      const folder = folders.get(folderId);
      if (folder === undefined || caseId === 'out-of-reach') {
        throw new ApiProblem({ type: 'about:blank', title: 'Not found', status: 404, code: 'request.not-found' });
      }
      const others = folder.caseIds.filter((id) => id !== caseId);
      folders.set(folderId, { ...folder, caseIds: inFolder ? [...others, caseId] : others });
    },
  };
  return { api, folders, calls, setOnline: (value: boolean) => (online = value) };
}

const winter = { id: '6a0f4c2e-0000-4000-8000-000000000001', name: 'Winter', kind: 'team' as const };

describe('folders on the device', () => {
  it('shows a folder and its cases at once offline, sends them on reconnecting, and sends nothing twice', async () => {
    const server = fakeServer();
    server.setOnline(false);
    let book: FolderBook = {
      ...emptyBook,
      pending: [
        { op: 'create', folder: winter },
        { op: 'set', folderId: winter.id, caseId: 'c1', inFolder: true },
      ],
    };
    expect(foldersOf(book).map((f) => [f.name, f.caseIds])).toEqual([['Winter', ['c1']]]);
    expect(folderIndex(foldersOf(book)).get('c1')).toEqual([winter.id]);

    book = await sendChanges(book, server.api, 'p1');
    expect(book.pending).toHaveLength(2);
    expect(server.folders.size).toBe(0);

    server.setOnline(true);
    book = await sendChanges(book, server.api, 'p1');
    expect(book.pending).toEqual([]);
    expect(book.server.items.map((f) => [f.name, f.kind, f.caseIds])).toEqual([['Winter', 'team', ['c1']]]);
    await sendChanges(book, server.api, 'p1');
    expect(server.calls).toEqual(['create Winter', 'add c1']);
  });

  it('drops a change the server refuses, counts it, and still sends the ones after it', async () => {
    const server = fakeServer();
    const book = await sendChanges(
      {
        ...emptyBook,
        pending: [
          { op: 'create', folder: winter },
          { op: 'set', folderId: winter.id, caseId: 'out-of-reach', inFolder: true },
          { op: 'set', folderId: winter.id, caseId: 'c2', inFolder: true },
        ],
      },
      server.api,
      'p1',
    );
    expect(book.refused).toBe(1);
    expect(book.server.items[0]?.caseIds).toEqual(['c2']);
  });

  it('keeps the book sealed in the device store across restarts', async () => {
    const name = uniqueName('folders');
    const store = createIndexedDbStore(name);
    const book: FolderBook = { ...emptyBook, pending: [{ op: 'create', folder: winter }] };
    await writeBook(store, plainCodec, 'p1', book);
    await store.close();
    const again = createIndexedDbStore(name);
    expect(await readBook(again, plainCodec, 'p1')).toEqual(book);
    expect(await readBook(again, plainCodec, 'p2')).toEqual(emptyBook);
    await again.close();
  });
});

describe('the folder outbox outside the case list', () => {
  it('sends what was kept offline once, even when the list and the app send at the same time', async () => {
    const server = fakeServer();
    const store = createIndexedDbStore(uniqueName('outbox'));
    const projectId = 'p1';
    server.setOnline(false);
    await updateBook(store, plainCodec, projectId, (book) => ({
      ...book,
      pending: [
        { op: 'create', folder: winter },
        { op: 'set', folderId: winter.id, caseId: 'c1', inFolder: true },
      ],
    }));
    // Offline: nothing is lost.
    await sendPendingFolderChanges(store, plainCodec, server.api, projectId);
    expect((await readBook(store, plainCodec, projectId)).pending).toHaveLength(2);

    server.setOnline(true);
    await Promise.all([
      sendPendingFolderChanges(store, plainCodec, server.api, projectId),
      updateBook(store, plainCodec, projectId, (book) => sendChanges(book, server.api, projectId)),
    ]);
    expect(server.calls).toEqual(['create Winter', 'add c1']);
    const book = await readBook(store, plainCodec, projectId);
    expect(book.pending).toEqual([]);
    expect(book.server.items.map((f) => [f.name, f.caseIds])).toEqual([['Winter', ['c1']]]);
  });
});
