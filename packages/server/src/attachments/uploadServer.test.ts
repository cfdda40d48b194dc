import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';
import { createLocalDiskBlobStore } from './localDiskBlobStore.js';
import { createUploadServer } from './uploadServer.js';
import type { UploadServer } from './uploadServer.js';

// Two server processes share the uploads folder (PostgreSQL deployments run several): each keeps
// the uploads' descriptions in memory, and neither may answer from memory about an upload the
// other has ended.

let root: string;
let store: Store;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'outpost-uploads-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(root, 'outpost.db') });
  await migrate(store);
});

afterAll(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

/** One process's upload server on loopback, as the route hands requests to it. */
async function serve(directory: string): Promise<{ uploads: UploadServer; base: string; close(): Promise<void> }> {
  const uploads = createUploadServer({
    path: '/uploads',
    directory,
    maxBytes: 1_000_000,
    store,
    blobs: createLocalDiskBlobStore(path.join(root, 'blobs')),
    now: () => new Date(),
  });
  const idOf = (url: string | undefined): string | null => /^\/uploads\/([^/?]+)/.exec(url ?? '')?.[1] ?? null;
  const server = http.createServer((req, res) => void uploads.handle(req, res, 'user-1', idOf(req.url)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    uploads,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const tus = { 'tus-resumable': '1.0.0' };

function create(base: string): Promise<Response> {
  const meta = { sha256: 'c'.repeat(64), projectId: randomUUID(), instanceId: `uuid:${randomUUID()}`, name: 'a.jpg' };
  return fetch(`${base}/uploads`, {
    method: 'POST',
    headers: {
      ...tus,
      'upload-length': '100',
      'upload-metadata': Object.entries(meta)
        .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
        .join(','),
    },
  });
}

function patch(base: string, id: string, offset: number, bytes: number): Promise<Response> {
  return fetch(`${base}/uploads/${id}`, {
    method: 'PATCH',
    headers: { ...tus, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
    body: new Uint8Array(bytes),
  });
}

describe('uploads shared by two processes', () => {
  it('resumes on one process an upload started on the other, and forgets it once the other ends it', async () => {
    const directory = path.join(root, 'uploads');
    const first = await serve(directory);
    const second = await serve(directory);
    try {
      const created = await create(first.base);
      expect(created.status).toBe(201);
      const id = /\/uploads\/([0-9a-f]+)$/.exec(created.headers.get('location') ?? '')?.[1] ?? '';

      // The device's connection moves to the other process half-way, then back.
      expect((await patch(second.base, id, 0, 40)).status).toBe(204);
      expect(await first.uploads.find(id)).toMatchObject({ offset: 40, size: 100, createdBy: 'user-1' });
      expect((await patch(first.base, id, 40, 20)).status).toBe(204);
      expect(await second.uploads.find(id)).toMatchObject({ offset: 60, size: 100 });

      // Cancelled on the first process: the second, which has read the upload before, no longer
      // offers it either.
      const cancelled = await fetch(`${first.base}/uploads/${id}`, { method: 'DELETE', headers: tus });
      expect(cancelled.status).toBe(204);
      expect(await second.uploads.find(id)).toBeUndefined();
      // Not found or gone (the API's route answers 404 from `find` before tus sees the request).
      expect([404, 410]).toContain((await patch(second.base, id, 60, 40)).status);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('takes new uploads after the uploads folder was removed while the server ran', async () => {
    const directory = path.join(root, 'uploads-removed');
    const one = await serve(directory);
    try {
      expect((await create(one.base)).status).toBe(201);
      rmSync(directory, { recursive: true, force: true });
      expect((await create(one.base)).status).toBe(201);
      expect(statSync(directory).mode & 0o777).toBe(0o700);
    } finally {
      await one.close();
    }
  });
});
