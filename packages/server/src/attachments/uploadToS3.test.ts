import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../auth/users.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { listAttachmentsOfInstance } from '../storage/queries/attachments.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';
import { blobStoreFrom } from './configuredBlobStore.js';
import { startS3rver } from './s3rver.test-support.js';
import type { RunningS3 } from './s3rver.test-support.js';

// tus uploads finish into whichever BlobStore the settings choose: here an S3 bucket on loopback,
// chosen the way `outpost start --blob-store s3` does.

const password = 'correct horse battery';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let dir: string;
let s3: RunningS3;
let store: Store;
let app: FastifyInstance;
let base: string;
let projectId: string;
let auth: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-s3-uploads-'));
  s3 = await startS3rver('outpost-uploads');
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  projectId = (await createProject({ slug: 'bayanzurkh', name: 'Bayanzürkh social protection' }, store)).id;
  const user = await addUser(
    { username: 'bolor', displayName: 'Bolor', role: 'fieldworker', password },
    null,
    { now: () => new Date() },
    store,
  );
  if (!user.ok) throw new Error(user.detail);
  await addMembership({ userId: user.user.id, projectId, roleId: 'fieldworker', team: null }, store);
  const blobs = blobStoreFrom({
    dataDir: dir,
    blobStore: 's3',
    s3Endpoint: s3.endpoint,
    s3Bucket: s3.bucket,
    s3Region: 'us-east-1',
    s3AccessKeyId: 'S3RVER',
    s3SecretAccessKey: 'S3RVER',
    s3ForcePathStyle: true,
  });
  app = await buildApp({
    store,
    blobs,
    settings: { ...defaultSettings, dataDir: dir, attachmentMaxBytes: 8 * 1024 * 1024, loginRateLimitPerMinute: 1000 },
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'bolor', password } });
  const cookie = res.cookies.find((c) => c.name === 'outpost_session');
  if (!cookie) throw new Error(`login failed: ${res.body}`);
  auth = { cookie: `outpost_session=${cookie.value}`, 'x-csrf-token': res.json<{ csrfToken: string }>().csrfToken };
}, 60_000);

afterAll(async () => {
  app.server.closeAllConnections();
  await app.close();
  await store.close();
  await s3.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function createUpload(bytes: number, meta: Record<string, string>): Promise<string> {
  const res = await fetch(`${base}/api/v1/uploads`, {
    method: 'POST',
    headers: {
      ...auth,
      'tus-resumable': '1.0.0',
      'upload-length': String(bytes),
      'upload-metadata': Object.entries(meta)
        .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
        .join(','),
    },
  });
  expect(res.status).toBe(201);
  const location = res.headers.get('location');
  if (location === null) throw new Error('no Location');
  return new URL(location, base).href;
}

function patch(url: string, offset: number, body: Buffer): Promise<Response> {
  return fetch(url, {
    method: 'PATCH',
    headers: {
      ...auth,
      'tus-resumable': '1.0.0',
      'upload-offset': String(offset),
      'content-type': 'application/offset+octet-stream',
    },
    body: new Uint8Array(body),
  });
}

async function bucketKeys(): Promise<string[]> {
  const page = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
  return (page.Contents ?? []).map((o) => o.Key ?? '').sort();
}

describe('tus uploads with --blob-store s3', () => {
  it('finishes a 6 MB photo, sent in two pieces, into the bucket under its hash and serves it back', async () => {
    const photo = randomBytes(6 * 1024 * 1024 + 17);
    const hash = sha256(photo);
    const instanceId = `uuid:${randomUUID()}`;
    const url = await createUpload(photo.length, {
      sha256: hash,
      projectId,
      instanceId,
      name: 'door.jpg',
      contentType: 'image/jpeg',
    });
    const half = 2 * 1024 * 1024;
    expect((await patch(url, 0, photo.subarray(0, half))).status).toBe(204);
    expect(await bucketKeys()).toEqual([]);
    expect((await patch(url, half, photo.subarray(half))).status).toBe(204);

    // Only the blob is in the bucket (no temporary object left), and nothing went to local disk.
    expect(await bucketKeys()).toEqual([`blobs/${hash}`]);
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `blobs/${hash}` }));
    expect(head.ContentLength).toBe(photo.length);
    expect(existsSync(path.join(dir, 'blobs'))).toBe(false);
    expect(await listAttachmentsOfInstance(instanceId, store)).toMatchObject([
      { name: 'door.jpg', sha256: hash, bytes: photo.length, project_id: projectId },
    ]);

    const got = await fetch(`${base}/api/v1/projects/${projectId}/attachments/${hash}`, { headers: auth });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(sha256(Buffer.from(await got.arrayBuffer()))).toBe(hash);
  }, 60_000);

  it('refuses an upload whose bytes do not match its SHA-256 and leaves nothing in the bucket', async () => {
    const before = await bucketKeys();
    const bytes = randomBytes(50_000);
    const claimed = sha256(randomBytes(8));
    const url = await createUpload(bytes.length, {
      sha256: claimed,
      projectId,
      instanceId: `uuid:${randomUUID()}`,
      name: 'wrong.jpg',
    });
    const res = await patch(url, 0, bytes);
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe('attachment.hash-mismatch');
    expect(await bucketKeys()).toEqual(before);
  });
});
