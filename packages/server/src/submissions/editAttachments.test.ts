// An edit carries its photos as ODK Central's edits do (issue 12 point 1): a photo the edit still
// names is the one the replaced version had, without being uploaded again; a replaced photo is
// uploaded under its new name; every earlier version keeps its own photo.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '@outpost/test-kit';
import { addUser } from '../auth/users.js';
import { publishForm } from '../forms/publishForm.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { listAttachmentsOfInstance } from '../storage/queries/attachments.js';
import { listAuditEventsNewestFirst } from '../storage/queries/audit.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';

const password = 'correct horse battery';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const doorPhoto = Buffer.alloc(40_000, 7);
const newDoorPhoto = Buffer.alloc(30_000, 9);

let dir: string;
let store: Store;
let app: FastifyInstance;
let base: string;
let projectId: string;
const sessions: Record<string, Record<string, string>> = {};

async function photoWorkbook(): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('survey').addRows([
    ['type', 'name', 'label'],
    ['image', 'door_photo', 'Photo of the door'],
    ['text', 'note', 'Note'],
  ]);
  book.addWorksheet('settings').addRows([
    ['form_id', 'version', 'form_title'],
    ['door_check', '1', 'Door check'],
  ]);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

function instance(v: { instanceId: string; photo: string; note: string; deprecatedId?: string }): string {
  const deprecated = v.deprecatedId === undefined ? '' : `<deprecatedID>${v.deprecatedId}</deprecatedID>`;
  return `<data xmlns:jr="http://openrosa.org/javarosa" id="door_check" version="1">
  <door_photo>${v.photo}</door_photo><note>${v.note}</note>
  <meta><instanceID>${v.instanceId}</instanceID>${deprecated}</meta>
</data>`;
}

function as(username: string): Record<string, string> {
  const s = sessions[username];
  if (!s) throw new Error(username);
  return s;
}

/** Uploads `bytes` with tus in one PATCH as `name` of `instanceId`, as the device queue does. */
async function upload(bytes: Buffer, instanceId: string, name: string, username: string): Promise<void> {
  const meta = { sha256: sha256(bytes), projectId, instanceId, name, contentType: 'image/jpeg' };
  const created = await fetch(`${base}/api/v1/uploads`, {
    method: 'POST',
    headers: {
      ...as(username),
      'tus-resumable': '1.0.0',
      'upload-length': String(bytes.length),
      'upload-metadata': Object.entries(meta)
        .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
        .join(','),
    },
  });
  expect(created.status).toBe(201);
  const location = created.headers.get('location');
  if (location === null) throw new Error('no Location');
  const patched = await fetch(new URL(location, base), {
    method: 'PATCH',
    headers: {
      ...as(username),
      'tus-resumable': '1.0.0',
      'upload-offset': '0',
      'content-type': 'application/offset+octet-stream',
    },
    body: new Uint8Array(bytes),
  });
  expect(patched.status).toBe(204);
}

async function submit(xml: string, username: string) {
  return app.inject({
    method: 'POST',
    url: `/api/v1/projects/${projectId}/submissions`,
    headers: { ...as(username), 'content-type': 'application/xml' },
    payload: xml,
  });
}

async function download(hash: string, username: string): Promise<Buffer | number> {
  const res = await fetch(`${base}/api/v1/projects/${projectId}/attachments/${hash}`, { headers: as(username) });
  return res.status === 200 ? Buffer.from(await res.arrayBuffer()) : res.status;
}

const review = (instanceId: string, suffix = '') =>
  app.inject({
    method: 'GET',
    url: `/api/v1/projects/${projectId}/forms/door_check/submissions/${encodeURIComponent(instanceId)}${suffix}`,
    headers: as('saraa'),
  });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-edit-photos-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  projectId = (await createProject({ slug: 'doors', name: 'Doors' }, store)).id;
  for (const [username, role] of [
    ['bolor', 'fieldworker'],
    ['saraa', 'supervisor'],
  ] as const) {
    const r = await addUser(
      { username, displayName: username, role, password },
      null,
      { now: () => new Date() },
      store,
    );
    if (!r.ok) throw new Error(r.detail);
    await addMembership({ userId: r.user.id, projectId, roleId: role }, store);
  }
  const published = await publishForm(
    { projectId, fileName: 'door_check.xlsx', bytes: await photoWorkbook(), actorId: null },
    store,
  );
  if (!published.ok) throw new Error(published.detail);
  app = await buildApp({
    store,
    settings: { ...defaultSettings, dataDir: dir, loginRateLimitPerMinute: 1000 },
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  for (const username of ['bolor', 'saraa']) sessions[username] = (await signIn(app, username, password)).headers;
}, 60_000);

afterAll(async () => {
  app.server.closeAllConnections();
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('an edited submission and its photos', () => {
  const original = `uuid:${randomUUID()}`;
  const kept = `uuid:${randomUUID()}`;
  const replaced = `uuid:${randomUUID()}`;

  it('keeps the photo an edit does not replace, without uploading it again', async () => {
    await upload(doorPhoto, original, 'door.jpg', 'bolor');
    expect(
      (await submit(instance({ instanceId: original, photo: 'door.jpg', note: 'blue door' }), 'bolor')).statusCode,
    ).toBe(201);

    // The reviewer opens it for an edit: the form gets its photo by name and hash.
    const forEdit = await review(original, '/edit');
    expect(forEdit.statusCode, forEdit.body).toBe(200);
    expect(forEdit.json<{ attachments: unknown[] }>().attachments).toEqual([
      { name: 'door.jpg', sha256: sha256(doorPhoto), contentType: 'image/jpeg', bytes: doorPhoto.length },
    ]);

    const edit = await submit(
      instance({ instanceId: kept, photo: 'door.jpg', note: 'green door', deprecatedId: original }),
      'saraa',
    );
    expect(edit.statusCode).toBe(201);
    expect(await listAttachmentsOfInstance(kept, store)).toMatchObject([
      { name: 'door.jpg', sha256: sha256(doorPhoto), bytes: doorPhoto.length },
    ]);
    expect(await download(sha256(doorPhoto), 'saraa')).toEqual(doorPhoto);
    const received = (await listAuditEventsNewestFirst({ action: 'submission.received', limit: 50 }, store)).find(
      (e) => e.subject === kept,
    );
    expect(received?.details).toMatchObject({ deprecatedId: original, keptAttachments: 1 });
  });

  it('stores a replaced photo under its new name and leaves each earlier version its own', async () => {
    await upload(newDoorPhoto, replaced, 'door-2.jpg', 'saraa');
    const edit = await submit(
      instance({ instanceId: replaced, photo: 'door-2.jpg', note: 'green door', deprecatedId: kept }),
      'saraa',
    );
    expect(edit.statusCode).toBe(201);
    expect(await listAttachmentsOfInstance(replaced, store)).toMatchObject([
      { name: 'door-2.jpg', sha256: sha256(newDoorPhoto) },
    ]);
    expect(await listAttachmentsOfInstance(kept, store)).toMatchObject([
      { name: 'door.jpg', sha256: sha256(doorPhoto) },
    ]);
    expect(await listAttachmentsOfInstance(original, store)).toMatchObject([
      { name: 'door.jpg', sha256: sha256(doorPhoto) },
    ]);
    expect(await download(sha256(newDoorPhoto), 'saraa')).toEqual(newDoorPhoto);
    expect(await download(sha256(doorPhoto), 'bolor')).toEqual(doorPhoto);

    // The review shows each version with its photo, and the edit that changed it.
    const detail = await review(replaced);
    expect(detail.statusCode).toBe(200);
    const body = detail.json<{
      versions: {
        instanceId: string;
        attachments: { name: string; sha256: string }[];
        changes: { path: string; before: string | null; after: string | null }[];
      }[];
    }>();
    expect(body.versions.map((v) => v.attachments.map((a) => [a.name, a.sha256]))).toEqual([
      [['door.jpg', sha256(doorPhoto)]],
      [['door.jpg', sha256(doorPhoto)]],
      [['door-2.jpg', sha256(newDoorPhoto)]],
    ]);
    expect(body.versions[2]?.changes).toEqual([{ path: '/door_photo', before: 'door.jpg', after: 'door-2.jpg' }]);
  });

  it('does not carry a photo the edit no longer names', async () => {
    const cleared = `uuid:${randomUUID()}`;
    const edit = await submit(
      instance({ instanceId: cleared, photo: '', note: 'no door', deprecatedId: replaced }),
      'saraa',
    );
    expect(edit.statusCode).toBe(201);
    expect(await listAttachmentsOfInstance(cleared, store)).toEqual([]);
    expect(await listAttachmentsOfInstance(replaced, store)).toHaveLength(1);
  });
});
