import { vaultDatabaseName } from './indexedDbVaultKeyStore.js';

/** Databases wiped even where `indexedDB.databases()` is missing (Firefox before 126). */
export const knownDatabaseNames: readonly string[] = [vaultDatabaseName, 'outpost'];

/** The part of an origin-private file system root that wiping needs (DOM.AsyncIterable is not in our lib). */
export interface FileSystemRoot {
  keys(): AsyncIterable<string>;
  removeEntry(name: string, options: { recursive: boolean }): Promise<void>;
}

/** The storage areas to clear; each defaults to the browser's own. */
export interface WipeTargets {
  readonly indexedDB?: Pick<IDBFactory, 'deleteDatabase'> & { databases?: () => Promise<IDBDatabaseInfo[]> };
  readonly caches?: Pick<CacheStorage, 'keys' | 'delete'>;
  readonly localStorage?: Pick<Storage, 'length' | 'clear'>;
  readonly sessionStorage?: Pick<Storage, 'length' | 'clear'>;
  readonly fileSystem?: () => Promise<FileSystemRoot>;
}

export interface WipeOptions extends WipeTargets {
  /** Database names to delete besides those the browser lists; knownDatabaseNames by default. */
  readonly knownDatabases?: readonly string[];
  /**
   * How long to wait for a database another tab keeps open. The browser still deletes it when
   * that tab lets go; it is reported under `failures` meanwhile. 10 s by default.
   */
  readonly blockedTimeoutMs?: number;
  /**
   * Caches to leave, e.g. the service worker's app shell, which holds only the public build (never
   * case data) and lets the sign-in screen open offline after a logout. None by default.
   */
  readonly keepCache?: (name: string) => boolean;
}

export interface WipeFailure {
  readonly area: 'indexedDB' | 'caches' | 'localStorage' | 'sessionStorage' | 'fileSystem';
  readonly name: string;
  readonly error: string;
}

/** What was cleared, for the log and the server's acknowledgement of a wipe directive. */
export interface WipeReport {
  readonly databases: readonly string[];
  readonly caches: readonly string[];
  readonly localStorageItems: number;
  readonly sessionStorageItems: number;
  readonly files: readonly string[];
  readonly failures: readonly WipeFailure[];
}

/**
 * Erases every storage area of the origin: all IndexedDB databases, Cache Storage (the app shell
 * too), localStorage, sessionStorage and the origin-private file system (S8, S6). Needs no
 * network. The service worker stays registered: it holds no data and reinstalls the shell when
 * the app is next opened online. Lock the vault and close the local store first, or their
 * databases wait for the connections to close. The session cookie is HttpOnly: the server's
 * logout clears it.
 */
export async function wipeDevice(options: WipeOptions = {}): Promise<WipeReport> {
  const targets = resolveTargets(options);
  const failures: WipeFailure[] = [];
  const failed = (area: WipeFailure['area'], name: string) => (error: unknown) => {
    failures.push({ area, name, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  };

  const databases: string[] = [];
  if (targets.indexedDB !== undefined) {
    const factory = targets.indexedDB;
    const names = new Set(options.knownDatabases ?? knownDatabaseNames);
    try {
      for (const info of (await factory.databases?.()) ?? []) if (info.name !== undefined) names.add(info.name);
    } catch (error) {
      failed('indexedDB', '*')(error);
    }
    await Promise.all(
      [...names].map((name) =>
        deleteDatabase(factory, name, options.blockedTimeoutMs ?? 10_000).then(
          () => databases.push(name),
          failed('indexedDB', name),
        ),
      ),
    );
  }

  const caches: string[] = [];
  if (targets.caches !== undefined) {
    const storage = targets.caches;
    try {
      for (const name of await storage.keys()) {
        if (options.keepCache?.(name) === true) continue;
        await storage.delete(name).then(() => caches.push(name), failed('caches', name));
      }
    } catch (error) {
      failed('caches', '*')(error);
    }
  }

  const localStorageItems = clearStorage(targets.localStorage, failed('localStorage', '*'));
  const sessionStorageItems = clearStorage(targets.sessionStorage, failed('sessionStorage', '*'));

  const files: string[] = [];
  if (targets.fileSystem !== undefined) {
    try {
      const root = await targets.fileSystem();
      const names: string[] = [];
      for await (const name of root.keys()) names.push(name);
      for (const name of names) {
        await root.removeEntry(name, { recursive: true }).then(() => files.push(name), failed('fileSystem', name));
      }
    } catch (error) {
      failed('fileSystem', '*')(error);
    }
  }

  return { databases: databases.sort(), caches, localStorageItems, sessionStorageItems, files, failures };
}

/** The browser's areas, each looked up on its own: some throw where storage is disabled. */
function resolveTargets(options: WipeTargets): WipeTargets {
  const pick = <T>(given: T | undefined, platform: () => T | undefined): T | undefined => {
    if (given !== undefined) return given;
    try {
      return platform() ?? undefined;
    } catch {
      return undefined;
    }
  };
  const resolved: {
    -readonly [K in keyof WipeTargets]: WipeTargets[K];
  } = {};
  const indexedDB = pick(options.indexedDB, () => globalThis.indexedDB);
  if (indexedDB !== undefined) resolved.indexedDB = indexedDB;
  const caches = pick(options.caches, () => globalThis.caches);
  if (caches !== undefined) resolved.caches = caches;
  const localStorage = pick(options.localStorage, () => globalThis.localStorage);
  if (localStorage !== undefined) resolved.localStorage = localStorage;
  const sessionStorage = pick(options.sessionStorage, () => globalThis.sessionStorage);
  if (sessionStorage !== undefined) resolved.sessionStorage = sessionStorage;
  const fileSystem = pick(options.fileSystem, () => {
    const storage = globalThis.navigator?.storage as Partial<StorageManager> | undefined;
    const getDirectory = storage?.getDirectory;
    return getDirectory === undefined
      ? undefined
      : async () => (await getDirectory.call(storage)) as unknown as FileSystemRoot;
  });
  if (fileSystem !== undefined) resolved.fileSystem = fileSystem;
  return resolved;
}

function clearStorage(
  storage: Pick<Storage, 'length' | 'clear'> | undefined,
  onError: (error: unknown) => void,
): number {
  if (storage === undefined) return 0;
  try {
    const items = storage.length;
    storage.clear();
    return items;
  } catch (error) {
    onError(error);
    return 0;
  }
}

function deleteDatabase(
  factory: Pick<IDBFactory, 'deleteDatabase'>,
  name: string,
  blockedTimeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = factory.deleteDatabase(name);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = (done: () => void) => {
      if (timer !== undefined) clearTimeout(timer);
      done();
    };
    request.onsuccess = () => settle(resolve);
    request.onerror = () => settle(() => reject(request.error ?? new Error(`deleting ${name} failed`)));
    request.onblocked = () => {
      timer ??= setTimeout(
        () => reject(new Error(`${name} is still open in another tab; it is deleted when that tab closes it`)),
        blockedTimeoutMs,
      );
    };
  });
}
