import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyCatalogue } from '@outpost/core';
import type { FieldInfo } from '@outpost/core';
import { addUser } from '../auth/users.js';
import { publishForm } from '../forms/publishForm.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';
import { answeredFieldClass } from './attachmentRecord.js';
import { listAttachmentsOfInstance } from '../storage/queries/attachments.js';
import { householdInstance } from '../submissions/householdInstance.test-support.js';

const password = 'correct horse battery';
const maxBytes = 6 * 1024 * 1024;
const registration = readFileSync(
  new URL('../../../../templates/mongolia-social-protection/forms/household_registration.xlsx', import.meta.url),
);

let dir: string;
let store: Store;
let app: FastifyInstance;
let base: string;
let projectA: string;
let projectB: string;
const sessions: Record<string, { cookie: string; 'x-csrf-token': string }> = {};

/** Deterministic bytes, so a failing seed replays exactly. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytesFrom(random: () => number, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += 4) out.writeUInt32LE(Math.floor(random() * 0x1_0000_0000), Math.min(i, length - 4));
  return out;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-attachments-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  projectA = (await createProject({ slug: 'bayanzurkh', name: 'Bayanzürkh social protection' }, store)).id;
  projectB = (await createProject({ slug: 'png', name: 'PNG protected areas' }, store)).id;
  // bolor and dorj work all of project A, tuya only with team "mobile" of A, chuluun only in B.
  for (const [username, project, team] of [
    ['bolor', projectA, null],
    ['dorj', projectA, null],
    ['tuya', projectA, 'mobile'],
    ['chuluun', projectB, null],
  ] as const) {
    const r = await addUser(
      { username, displayName: username, role: 'fieldworker', password },
      null,
      { now: () => new Date() },
      store,
    );
    if (!r.ok) throw new Error(r.detail);
    await addMembership({ userId: r.user.id, projectId: project, roleId: 'fieldworker', team }, store);
  }
  const published = await publishForm(
    {
      projectId: projectA,
      fileName: 'household_registration.xlsx',
      bytes: new Uint8Array(registration),
      actorId: null,
    },
    store,
  );
  if (!published.ok) throw new Error(published.detail);
  app = await buildApp({
    store,
    settings: { ...defaultSettings, dataDir: dir, attachmentMaxBytes: maxBytes, loginRateLimitPerMinute: 1000 },
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  for (const username of ['bolor', 'dorj', 'tuya', 'chuluun']) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    const cookie = res.cookies.find((c) => c.name === 'outpost_session');
    if (!cookie) throw new Error(`login ${username} failed: ${res.body}`);
    sessions[username] = {
      cookie: `outpost_session=${cookie.value}`,
      'x-csrf-token': res.json<{ csrfToken: string }>().csrfToken,
    };
  }
}, 60_000);

afterAll(async () => {
  // Hijacked tus replies leave keep-alive sockets Fastify does not track.
  app.server.closeAllConnections();
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function as(username: string): Record<string, string> {
  const s = sessions[username];
  if (!s) throw new Error(username);
  return s;
}

interface Meta {
  sha256: string;
  projectId: string;
  instanceId: string;
  name: string;
  contentType?: string;
}

function metadataHeader(meta: Meta): string {
  return Object.entries(meta)
    .map(([k, v]) => `${k} ${Buffer.from(String(v)).toString('base64')}`)
    .join(',');
}

async function createUpload(bytes: number, meta: Meta, headers: Record<string, string> = as('bolor')) {
  const res = await fetch(`${base}/api/v1/uploads`, {
    method: 'POST',
    headers: {
      ...headers,
      'tus-resumable': '1.0.0',
      'upload-length': String(bytes),
      'upload-metadata': metadataHeader(meta),
    },
  });
  const location = res.headers.get('location');
  return { res, url: location === null ? null : new URL(location, base).href };
}

async function headOffset(url: string, username = 'bolor'): Promise<Response> {
  return fetch(url, { method: 'HEAD', headers: { ...as(username), 'tus-resumable': '1.0.0' } });
}

async function patch(url: string, offset: number, body: Buffer, username = 'bolor'): Promise<Response> {
  return fetch(url, {
    method: 'PATCH',
    headers: {
      ...as(username),
      'tus-resumable': '1.0.0',
      'upload-offset': String(offset),
      'content-type': 'application/offset+octet-stream',
    },
    body: new Uint8Array(body),
  });
}

/**
 * A PATCH that announces the whole rest of the file but loses its connection after `sendBytes`:
 * what a tablet on a bad link does. Resolves once the socket is gone.
 */
function patchCutOff(url: string, offset: number, rest: Buffer, sendBytes: number): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: 'PATCH',
      headers: {
        ...as('bolor'),
        'tus-resumable': '1.0.0',
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
        'content-length': String(rest.length),
      },
    });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.write(rest.subarray(0, sendBytes), () => {
      // Give the bytes a moment to leave, then pull the plug.
      setTimeout(() => req.destroy(), 20);
    });
  });
}

function blobFiles(): string[] {
  const root = path.join(dir, 'blobs');
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'tmp') continue;
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  try {
    walk(root);
  } catch {
    return [];
  }
  return out;
}

function uploadFiles(): string[] {
  try {
    return readdirSync(path.join(dir, 'uploads'));
  } catch {
    return [];
  }
}

async function download(projectId: string, hash: string, username: string, suffix = '') {
  return fetch(`${base}/api/v1/projects/${projectId}/attachments/${hash}${suffix}`, { headers: as(username) });
}

async function submit(xml: string, username = 'bolor') {
  return app.inject({
    method: 'POST',
    url: `/api/v1/projects/${projectA}/submissions`,
    headers: { ...as(username), 'content-type': 'application/xml' },
    payload: xml,
  });
}

describe('a 5 MB photo upload cut at random offsets (R11)', () => {
  const seed = Number(process.env['OUTPOST_SEED'] ?? 20261127);

  it(`resumes to exactly one blob whose SHA-256 matches, linked to its record (seed ${seed})`, async () => {
    const random = seededRandom(seed);
    const photo = randomBytesFrom(random, 5 * 1024 * 1024);
    const hash = sha256(photo);
    const cuts = Array.from({ length: 6 }, () => Math.floor(random() * photo.length)).sort((a, b) => a - b);
    const instanceId = `uuid:${randomUUID()}`;
    const before = blobFiles().length;

    const { res, url } = await createUpload(photo.length, {
      sha256: hash,
      projectId: projectA,
      instanceId,
      name: 'door.jpg',
      contentType: 'image/jpeg',
    });
    expect(res.status).toBe(201);
    if (url === null) throw new Error('no Location');
    expect(url).toContain('/api/v1/uploads/');

    const offsets: number[] = [];
    for (const cut of cuts) {
      const head = await headOffset(url);
      expect(head.status).toBe(200);
      const offset = Number(head.headers.get('upload-offset'));
      offsets.push(offset);
      if (cut <= offset) continue;
      await patchCutOff(url, offset, photo.subarray(offset), cut - offset);
    }
    const head = await headOffset(url);
    const offset = Number(head.headers.get('upload-offset'));
    // Resumed, not restarted: the server kept what arrived before the cuts.
    expect(offset).toBeGreaterThan(0);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    const last = await patch(url, offset, photo.subarray(offset));
    expect(last.status).toBe(204);

    const files = blobFiles();
    expect(files.length).toBe(before + 1);
    const stored = files.find((f) => path.basename(f) === hash);
    if (stored === undefined) throw new Error('blob not stored under its hash');
    expect(sha256(readFileSync(stored))).toBe(hash);
    expect(uploadFiles().filter((f) => !f.endsWith('.json'))).toEqual([]);
    expect(await listAttachmentsOfInstance(instanceId, store)).toMatchObject([
      { name: 'door.jpg', sha256: hash, bytes: photo.length, project_id: projectA, content_type: 'image/jpeg' },
    ]);

    // The uploader sees it at once; another member only once the submission it belongs to arrives.
    expect((await download(projectA, hash, 'bolor')).status).toBe(200);
    expect((await download(projectA, hash, 'dorj')).status).toBe(404);
    expect((await submit(householdInstance({ instanceId, entityId: randomUUID() }))).statusCode).toBe(201);
    const got = await download(projectA, hash, 'dorj');
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(got.headers.get('cache-control')).toBe('no-store');
    expect(sha256(Buffer.from(await got.arrayBuffer()))).toBe(hash);

    // The last response was lost: asking again tells the device it is done instead of starting over.
    const again = await headOffset(url);
    expect(again.status).toBe(200);
    expect(again.headers.get('upload-offset')).toBe(String(photo.length));
  });
});

describe('uploads', () => {
  it('stores the same content once, however often it is uploaded or linked', async () => {
    const photo = randomBytesFrom(seededRandom(7), 200_000);
    const hash = sha256(photo);
    const instanceId = `uuid:${randomUUID()}`;
    expect((await submit(householdInstance({ instanceId, entityId: randomUUID() }))).statusCode).toBe(201);
    const before = blobFiles().length;
    for (const name of ['a.jpg', 'b.jpg']) {
      const { res, url } = await createUpload(photo.length, { sha256: hash, projectId: projectA, instanceId, name });
      expect(res.status).toBe(201);
      expect((await patch(url ?? '', 0, photo)).status).toBe(204);
    }
    expect(blobFiles().length).toBe(before + 1);

    // A third name for the same file needs no upload at all.
    const link = await fetch(`${base}/api/v1/projects/${projectA}/attachments`, {
      method: 'POST',
      headers: { ...as('bolor'), 'content-type': 'application/json' },
      body: JSON.stringify({ instanceId, name: 'c.jpg', sha256: hash, bytes: photo.length }),
    });
    expect(link.status).toBe(201);
    expect((await listAttachmentsOfInstance(instanceId, store)).map((a) => a.name)).toEqual([
      'a.jpg',
      'b.jpg',
      'c.jpg',
    ]);
    expect(blobFiles().length).toBe(before + 1);

    // Someone who cannot read that file learns nothing from linking: they must upload it.
    const probe = await fetch(`${base}/api/v1/projects/${projectB}/attachments`, {
      method: 'POST',
      headers: { ...as('chuluun'), 'content-type': 'application/json' },
      body: JSON.stringify({ instanceId: `uuid:${randomUUID()}`, name: 'x.jpg', sha256: hash, bytes: photo.length }),
    });
    expect(probe.status).toBe(404);
    expect((await probe.json()).code).toBe('attachment.not-found');
  });

  it('refuses a link whose name is a one-element array or whose size is not a finite number', async () => {
    const link = (body: string) =>
      fetch(`${base}/api/v1/projects/${projectA}/attachments`, {
        method: 'POST',
        headers: { ...as('bolor'), 'content-type': 'application/json' },
        body,
      });
    const fields = `"instanceId": "uuid:${randomUUID()}", "sha256": "${'b'.repeat(64)}"`;
    for (const body of [`{${fields}, "name": ["a.jpg"], "bytes": 1}`, `{${fields}, "name": "a.jpg", "bytes": 1e400}`]) {
      const res = await link(body);
      expect(res.status).toBe(400);
      expect((await res.json()).code).toBe('request.invalid');
    }
  });

  it('refuses and deletes a finished upload whose bytes do not match its SHA-256', async () => {
    const photo = randomBytesFrom(seededRandom(11), 100_000);
    const claimed = sha256(Buffer.from('something else'));
    const instanceId = `uuid:${randomUUID()}`;
    const before = blobFiles().length;
    const { url } = await createUpload(photo.length, {
      sha256: claimed,
      projectId: projectA,
      instanceId,
      name: 'x.jpg',
    });
    const res = await patch(url ?? '', 0, photo);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await res.json()).code).toBe('attachment.hash-mismatch');
    expect(blobFiles().length).toBe(before);
    expect(await listAttachmentsOfInstance(instanceId, store)).toEqual([]);
    expect((await headOffset(url ?? '')).status).toBe(404);
  });

  it('refuses an oversized file before storing any of it (S16)', async () => {
    const before = uploadFiles();
    const { res, url } = await createUpload(maxBytes + 1, {
      sha256: sha256(Buffer.from('big')),
      projectId: projectA,
      instanceId: `uuid:${randomUUID()}`,
      name: 'big.jpg',
    });
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe('attachment.too-large');
    expect(url).toBeNull();
    expect(uploadFiles()).toEqual(before);
  });

  it('refuses a second file under a name an instance already uses', async () => {
    const instanceId = `uuid:${randomUUID()}`;
    const one = Buffer.from('first');
    const { url } = await createUpload(one.length, {
      sha256: sha256(one),
      projectId: projectA,
      instanceId,
      name: 'p.jpg',
    });
    expect((await patch(url ?? '', 0, one)).status).toBe(204);
    const two = Buffer.from('second');
    const { res } = await createUpload(two.length, {
      sha256: sha256(two),
      projectId: projectA,
      instanceId,
      name: 'p.jpg',
    });
    expect(res.status).toBe(409);
    expect((await res.json()).code).toBe('attachment.conflict');
  });

  it('refuses uploads without a session, and another user cannot touch mine', async () => {
    const bytes = Buffer.from('mine');
    const meta = { sha256: sha256(bytes), projectId: projectA, instanceId: `uuid:${randomUUID()}`, name: 'm.jpg' };
    const anonymous = await createUpload(bytes.length, meta, {});
    expect(anonymous.res.status).toBe(401);
    expect((await createUpload(bytes.length, meta, as('chuluun'))).res.status).toBe(404);
    const { url } = await createUpload(bytes.length, meta);
    expect((await headOffset(url ?? '', 'dorj')).status).toBe(404);
    expect((await patch(url ?? '', 0, bytes, 'dorj')).status).toBe(404);
    const noCsrf = await fetch(url ?? '', {
      method: 'PATCH',
      headers: {
        cookie: as('bolor')['cookie'] ?? '',
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      body: bytes,
    });
    expect(noCsrf.status).toBe(403);
    expect((await patch(url ?? '', 0, bytes)).status).toBe(204);
  });

  it("cannot read, append to or delete another user's upload through its id in the query string (issue 9)", async () => {
    const theirs = Buffer.from('bolor-private-bytes');
    const mine = Buffer.from('dorj');
    const upload = (bytes: Buffer, username: string) =>
      createUpload(
        bytes.length,
        { sha256: sha256(bytes), projectId: projectA, instanceId: `uuid:${randomUUID()}`, name: 'q.jpg' },
        as(username),
      );
    const bolorUpload = (await upload(theirs, 'bolor')).url ?? '';
    expect((await patch(bolorUpload, 0, theirs.subarray(0, 5))).status).toBe(204);
    const dorjUpload = (await upload(mine, 'dorj')).url ?? '';
    const otherId = bolorUpload.split('/').pop() ?? '';
    for (const trick of [`?x=/${otherId}`, `?x=%2F${otherId}`, `/?x=/${otherId}`, `?/${otherId}`]) {
      const url = `${dorjUpload}${trick}`;
      const head = await headOffset(url, 'dorj');
      if (head.status === 200) expect(head.headers.get('upload-offset'), trick).toBe('0');
      else expect(head.status, trick).toBe(404);
      const appended = await patch(url, 5, Buffer.from('EVIL'), 'dorj');
      expect(appended.status, trick).not.toBe(204);
    }
    const deleted = await fetch(`${dorjUpload}?x=/${otherId}`, {
      method: 'DELETE',
      headers: { ...as('dorj'), 'tus-resumable': '1.0.0' },
    });
    expect([204, 404]).toContain(deleted.status);
    // bolor's upload is untouched: same offset, and it still finishes with her bytes.
    const still = await headOffset(bolorUpload);
    expect(still.status).toBe(200);
    expect(still.headers.get('upload-offset')).toBe('5');
    expect((await patch(bolorUpload, 5, theirs.subarray(5))).status).toBe(204);
  });
});

describe('downloads', () => {
  let hash: string;
  let jpeg: Buffer;
  let downloadsInstance: string;

  beforeAll(async () => {
    jpeg = await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 200, g: 80, b: 40 } } })
      .jpeg()
      .toBuffer();
    hash = sha256(jpeg);
    const instanceId = `uuid:${randomUUID()}`;
    downloadsInstance = instanceId;
    const { url } = await createUpload(jpeg.length, {
      sha256: hash,
      projectId: projectA,
      instanceId,
      name: 'house.jpg',
      contentType: 'image/jpeg',
    });
    expect((await patch(url ?? '', 0, jpeg)).status).toBe(204);
    expect((await submit(householdInstance({ instanceId, entityId: randomUUID() }))).statusCode).toBe(201);
  });

  it('serves the original and a 320 px JPEG thumbnail to members who may read the record', async () => {
    const original = await download(projectA, hash, 'dorj');
    expect(original.status).toBe(200);
    expect(Buffer.from(await original.arrayBuffer()).equals(jpeg)).toBe(true);
    const thumb = await download(projectA, hash, 'dorj', '/thumbnail');
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    expect(thumb.headers.get('cache-control')).not.toContain('public');
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(320);
    // Made once, then served from the blob store.
    const files = blobFiles().length;
    expect((await download(projectA, hash, 'bolor', '/thumbnail')).status).toBe(200);
    expect(blobFiles().length).toBe(files);
  });

  it('answers 404 to a guessed hash and to members of another project (S1)', async () => {
    expect((await download(projectA, hash, 'chuluun')).status).toBe(404);
    expect((await download(projectB, hash, 'chuluun')).status).toBe(404);
    expect((await download(projectB, hash, 'chuluun', '/thumbnail')).status).toBe(404);
    const guessed = await download(projectA, sha256(Buffer.from('guess')), 'dorj');
    expect(guessed.status).toBe(404);
    expect((await guessed.json()).code).toBe('attachment.not-found');
  });

  it('gives a team-only member neither the files of cases outside her team nor a way to add to them', async () => {
    // The household is in no team: a team membership is not the whole project.
    expect((await download(projectA, hash, 'tuya')).status).toBe(404);
    expect((await download(projectA, hash, 'tuya', '/thumbnail')).status).toBe(404);
    const other = Buffer.from('a photo for a case out of reach');
    const attempt = await createUpload(
      other.length,
      { sha256: sha256(other), projectId: projectA, instanceId: downloadsInstance, name: 'extra.jpg' },
      as('tuya'),
    );
    expect(attempt.res.status).toBe(404);
    expect((await attempt.res.json()).code).toBe('attachment.not-found');
    // Her own upload, before the submission it belongs to arrives, stays hers to read.
    const mine = Buffer.from('tuya’s own photo');
    const { res, url } = await createUpload(
      mine.length,
      { sha256: sha256(mine), projectId: projectA, instanceId: `uuid:${randomUUID()}`, name: 'mine.jpg' },
      as('tuya'),
    );
    expect(res.status).toBe(201);
    expect((await patch(url ?? '', 0, mine, 'tuya')).status).toBe(204);
    expect((await download(projectA, sha256(mine), 'tuya')).status).toBe(200);
    expect((await download(projectA, sha256(mine), 'dorj')).status).toBe(404);
  });

  it('answers 401 without a session', async () => {
    const res = await fetch(`${base}/api/v1/projects/${projectA}/attachments/${hash}`);
    expect(res.status).toBe(401);
  });
});

describe('answeredFieldClass', () => {
  const catalogue = policyCatalogue([
    {
      fields: [
        { path: '/data/house', type: 'image', sensitivity: 'normal' },
        { path: '/data/members/portrait', type: 'image', sensitivity: 'identifying' },
        { path: '/data/visit/site', type: 'image', sensitivity: 'location' },
        { path: '/data/visit/misspelt', type: 'image', sensitivity: 'normall' },
      ].map((f): FieldInfo => ({
        ...f,
        name: f.path.split('/').pop() ?? '',
        labels: {},
        saveTo: null,
        repeat: f.path.includes('/members/'),
      })),
    },
  ]);
  const data = JSON.stringify({
    house: 'a.jpg',
    members: [{ portrait: 'b.jpg' }, { portrait: 'c.jpg' }],
    visit: { site: 'd.jpg', misspelt: 'e.jpg' },
    meta: { instanceID: 'uuid:x' },
  });

  it('finds the question holding the file name, in groups and repeats', () => {
    expect(answeredFieldClass(data, 'a.jpg', catalogue)).toBe('normal');
    expect(answeredFieldClass(data, 'c.jpg', catalogue)).toBe('identifying');
    expect(answeredFieldClass(data, 'd.jpg', catalogue)).toBe('location');
  });

  it('counts a misspelt class, an unknown question and a name nobody holds as identifying', () => {
    expect(answeredFieldClass(data, 'e.jpg', catalogue)).toBe('identifying');
    expect(answeredFieldClass(data, 'uuid:x', catalogue)).toBe('identifying');
    expect(answeredFieldClass(data, 'z.jpg', catalogue)).toBe('identifying');
    expect(answeredFieldClass('{not json', 'a.jpg', catalogue)).toBe('identifying');
  });

  it('takes the strictest class when two answers hold the same name', () => {
    const twice = JSON.stringify({ house: 'a.jpg', members: [{ portrait: 'a.jpg' }] });
    expect(answeredFieldClass(twice, 'a.jpg', catalogue)).toBe('identifying');
  });
});

it('keeps no partial file in the blob folder', () => {
  const tmp = path.join(dir, 'blobs', 'tmp');
  const left = (() => {
    try {
      return readdirSync(tmp).filter((f) => statSync(path.join(tmp, f)).isFile());
    } catch {
      return [];
    }
  })();
  expect(left).toEqual([]);
});
