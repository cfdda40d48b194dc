import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalDiskBlobStore } from '../attachments/localDiskBlobStore.js';
import { createUploadServer } from '../attachments/uploadServer.js';
import type { Store } from './store.js';
import { migrate, openStore } from './store.js';

// Data files 0600, folders 0700 (issue 9): checked under a permissive umask (022), so the modes
// come from the code that creates them and not from `main` tightening the umask.

const modeOf = (file: string) => statSync(file).mode & 0o777;

let root: string;
let previousUmask: number;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'outpost-modes-'));
  previousUmask = process.umask(0o022);
});

afterAll(() => {
  process.umask(previousUmask);
  rmSync(root, { recursive: true, force: true });
});

function walk(dir: string): { files: string[]; dirs: string[] } {
  const out = { files: [] as string[], dirs: [dir] };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = walk(p);
      out.files.push(...inner.files);
      out.dirs.push(...inner.dirs);
    } else out.files.push(p);
  }
  return out;
}

describe('files under the data folder', () => {
  let store: Store;

  beforeAll(async () => {
    store = await openStore({ databaseUrl: null, sqlitePath: path.join(root, 'data', 'outpost.db') });
    await migrate(store);
  });

  afterAll(async () => {
    await store.close();
  });

  it('creates the SQLite database, its WAL and shared memory 0600 in a 0700 folder', async () => {
    await store.db.selectFrom('users').select('id').execute();
    const dir = path.join(root, 'data');
    expect(modeOf(dir)).toBe(0o700);
    const files = readdirSync(dir).filter((f) => f.startsWith('outpost.db'));
    expect(files).toEqual(expect.arrayContaining(['outpost.db', 'outpost.db-wal', 'outpost.db-shm']));
    expect(files.map((f) => [f, modeOf(path.join(dir, f))])).toEqual(files.map((f) => [f, 0o600]));
  });

  it('stores blobs 0600 in 0700 folders', async () => {
    const blobs = createLocalDiskBlobStore(path.join(root, 'data', 'blobs'));
    const bytes = Buffer.from('a photo of a house');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(await blobs.put([bytes], { sha256, bytes: bytes.length })).toMatchObject({ ok: true });
    const tree = walk(path.join(root, 'data', 'blobs'));
    expect(tree.files.length).toBeGreaterThan(0);
    expect(tree.files.filter((f) => modeOf(f) !== 0o600)).toEqual([]);
    expect(tree.dirs.filter((d) => modeOf(d) !== 0o700)).toEqual([]);
  });

  it('keeps an upload in progress and its metadata 0600 in a 0700 folder', async () => {
    const directory = path.join(root, 'data', 'uploads');
    const uploads = createUploadServer({
      path: '/uploads',
      directory,
      maxBytes: 1_000_000,
      store,
      blobs: createLocalDiskBlobStore(path.join(root, 'data', 'blobs')),
      now: () => new Date(),
    });
    // As the route does: the upload id is the path segment after /uploads/, never the query.
    const idOf = (url: string | undefined): string | null => /^\/uploads\/([^/?]+)/.exec(url ?? '')?.[1] ?? null;
    const server = http.createServer((req, res) => void uploads.handle(req, res, 'user-1', idOf(req.url)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const meta = {
        sha256: 'b'.repeat(64),
        projectId: randomUUID(),
        instanceId: `uuid:${randomUUID()}`,
        name: 'house.jpg',
      };
      const created = await fetch(`${base}/uploads`, {
        method: 'POST',
        headers: {
          'tus-resumable': '1.0.0',
          'upload-length': '100',
          'upload-metadata': Object.entries(meta)
            .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
            .join(','),
        },
      });
      expect(created.status).toBe(201);
      const location = created.headers.get('location') ?? '';
      const sent = await fetch(new URL(location, base), {
        method: 'PATCH',
        headers: {
          'tus-resumable': '1.0.0',
          'upload-offset': '0',
          'content-type': 'application/offset+octet-stream',
        },
        body: new Uint8Array(40),
      });
      expect(sent.status).toBe(204);
      const tree = walk(directory);
      expect(tree.files.length).toBe(2);
      expect(tree.files.map((f) => [path.basename(f), modeOf(f)])).toEqual(
        tree.files.map((f) => [path.basename(f), 0o600]),
      );
      expect(modeOf(directory)).toBe(0o700);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
