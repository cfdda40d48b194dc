// Form media from Administration → Forms (issue 13): the publishing route takes the workbook and
// its media files as multipart/form-data, through the same publishForm path as `outpost form
// publish --media`. The dry run names the files the form expects; publishing says which are stored
// and which are still missing; ODK Collect's manifest then lists each stored file with its md5.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '@outpost/test-kit';
import type { SignedIn } from '@outpost/test-kit';
import { registerDevice } from '../../auth/sessions.js';
import { addUser } from '../../auth/users.js';
import { MAX_FORM_MEDIA_BYTES } from '../../forms/formMedia.js';
import { addMembership } from '../../storage/queries/memberships.js';
import { createProject } from '../../storage/queries/projects.js';
import type { Store } from '../../storage/store.js';
import { migrate, openStore } from '../../storage/store.js';
import { buildApp, defaultSettings } from '../app.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const password = 'correct horse battery staple';
const photo = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(3000, 9)]);
const sound = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(5000, 4)]);
const photoName = 'худгийн-зураг.png';
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

async function workbook(version: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('survey').addRows([
    ['type', 'name', 'label', 'image', 'audio'],
    ['note', 'well_note', 'This is the well', photoName, ''],
    ['text', 'answer', 'Say what you hear', '', 'prompt.mp3'],
  ]);
  book.addWorksheet('settings').addRows([
    ['form_id', 'version', 'form_title'],
    ['well_media', version, 'Well with media'],
  ]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

type Part = { name: string; fileName: string; type: string; bytes: Buffer };

/** A multipart body as a browser's FormData sends it. */
function multipart(parts: Part[]): { contentType: string; payload: Buffer } {
  const boundary = '----outpostFormMedia7MA4YWxkTrZu0gW';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.fileName}"\r\nContent-Type: ${p.type}\r\n\r\n`,
      ),
      p.bytes,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, payload: Buffer.concat(chunks) };
}

const book = (bytes: Buffer): Part => ({ name: 'xlsform', fileName: 'well_media.xlsx', type: XLSX, bytes });
const file = (fileName: string, bytes: Buffer, type = 'application/octet-stream'): Part => ({
  name: 'media',
  fileName,
  type,
  bytes,
});

let dir: string;
let store: Store;
let app: FastifyInstance;
let projectId: string;
let admin: SignedIn;
let fieldworker: SignedIn;
let collectKey: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-forms-admin-media-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  app = await buildApp({ store, settings: { ...defaultSettings, dataDir: dir, loginRateLimitPerMinute: 1000 } });
  projectId = (await createProject({ slug: 'wells', name: 'Wells' }, store)).id;
  for (const [username, role] of [
    ['boss', 'admin'],
    ['tuya', 'fieldworker'],
  ] as const) {
    const added = await addUser(
      { username, displayName: username, role, password },
      null,
      { now: () => new Date() },
      store,
    );
    if (!added.ok) throw new Error(added.detail);
    if (role !== 'admin') {
      await addMembership({ userId: added.user.id, projectId, roleId: role }, store);
      collectKey = (await registerDevice({ userId: added.user.id, name: 'Collect' }, { now: () => new Date() }, store))
        .token;
    }
  }
  admin = await signIn(app, 'boss', password);
  fieldworker = await signIn(app, 'tuya', password);
}, 60_000);

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function publish(who: SignedIn, parts: Part[]): Promise<LightMyRequestResponse> {
  const body = multipart(parts);
  return app.inject({
    method: 'POST',
    url: `/api/v1/projects/${projectId}/forms`,
    headers: { ...who.headers, 'content-type': body.contentType },
    payload: body.payload,
  });
}

function check(bytes: Buffer): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `/api/v1/projects/${projectId}/forms/check`,
    headers: {
      ...admin.headers,
      'content-type': XLSX,
      'content-disposition': 'attachment; filename="well_media.xlsx"',
    },
    payload: bytes,
  });
}

async function manifest(): Promise<Array<{ name: string; hash: string; url: string }>> {
  const res = await app.inject({
    method: 'GET',
    url: `/v1/key/${collectKey}/projects/${projectId}/forms/well_media/manifest`,
  });
  expect(res.statusCode).toBe(200);
  return [
    ...res.body.matchAll(
      /<mediaFile>\s*<filename>([^<]+)<\/filename>\s*<hash>([^<]+)<\/hash>\s*<downloadUrl>([^<]+)<\/downloadUrl>/g,
    ),
  ].map(([, name, hash, url]) => ({ name: name ?? '', hash: hash ?? '', url: url ?? '' }));
}

const problemCode = (res: LightMyRequestResponse) => res.json<{ code: string }>().code;

describe('publishing a form with its media files from the web', () => {
  it('the dry run names the files the form expects, none stored yet', async () => {
    const res = await check(await workbook('1'));
    expect(res.statusCode).toBe(200);
    expect(res.json<{ media: unknown }>().media).toEqual({ expected: ['prompt.mp3', photoName].sort(), stored: [] });
    // The first compile starts the worker pool: slow on a busy machine.
  }, 120_000);

  it('refuses a file the form does not name, a broken body, a missing workbook and a field worker; stores nothing', async () => {
    const stray = await publish(admin, [book(await workbook('1')), file('stray.png', photo)]);
    expect(stray.statusCode).toBe(422);
    expect(problemCode(stray)).toBe('form.media-unexpected');
    expect(stray.json<{ detail: string }>().detail).toContain(`"${photoName}"`);

    const noBook = await publish(admin, [file(photoName, photo)]);
    expect(noBook.statusCode).toBe(400);
    expect(problemCode(noBook)).toBe('request.invalid');

    const broken = await app.inject({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/forms`,
      headers: { ...admin.headers, 'content-type': 'multipart/form-data; boundary=xyz' },
      payload: '--xyz\r\nContent-Disposition: form-data; name="xlsform"\r\n\r\nno closing boundary',
    });
    expect(broken.statusCode).toBe(400);
    expect(problemCode(broken)).toBe('request.invalid');

    const notAllowed = await publish(fieldworker, [book(await workbook('1')), file(photoName, photo)]);
    expect(notAllowed.statusCode).toBe(403);

    const forms = await app.inject({
      method: 'GET',
      url: `/api/v1/projects/${projectId}/forms`,
      headers: { cookie: admin.cookie },
    });
    expect(forms.json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('keeps the 10 MB bound of a bare workbook body under the larger limit of the route', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/forms`,
      headers: { ...admin.headers, 'content-type': XLSX },
      payload: Buffer.alloc(10 * 1024 * 1024 + 1, 1),
    });
    expect(res.statusCode).toBe(413);
    expect(problemCode(res)).toBe('request.too-large');
  });

  it('refuses a media file over the size limit with form.media-too-large', async () => {
    const huge = Buffer.alloc(MAX_FORM_MEDIA_BYTES + 1, 1);
    const res = await publish(admin, [book(await workbook('1')), file(photoName, huge)]);
    expect(res.statusCode).toBe(413);
    expect(problemCode(res)).toBe('form.media-too-large');
  });

  it('publishes with one file, lists the other as missing, takes it later; the manifest lists both with md5', async () => {
    const bytes = await workbook('1');
    const first = await publish(admin, [book(bytes), file(photoName, photo, 'image/png')]);
    expect(first.statusCode).toBe(201);
    expect(first.json<{ media: unknown }>().media).toEqual({ stored: [photoName], missing: ['prompt.mp3'] });
    expect(await manifest()).toEqual([expect.objectContaining({ name: photoName, hash: `md5:${md5(photo)}` })]);

    const checked = await check(bytes);
    expect(checked.json<{ outcome: string; media: unknown }>()).toMatchObject({
      outcome: 'published',
      media: { expected: ['prompt.mp3', photoName].sort(), stored: [photoName] },
    });

    const second = await publish(admin, [book(bytes), file('prompt.mp3', sound, 'audio/mpeg')]);
    expect(second.statusCode).toBe(200);
    expect(second.json<{ created: boolean; media: unknown }>()).toMatchObject({
      created: false,
      media: { stored: ['prompt.mp3', photoName].sort(), missing: [] },
    });
    const listed = await manifest();
    expect(listed.map((f) => [f.name, f.hash]).sort()).toEqual(
      [
        [photoName, `md5:${md5(photo)}`],
        ['prompt.mp3', `md5:${md5(sound)}`],
      ].sort(),
    );
    const image = listed.find((f) => f.name === photoName);
    const served = await app.inject({ method: 'GET', url: new URL(image?.url ?? 'http://x/none').pathname });
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(photo)).toBe(true);

    const changed = await publish(admin, [book(bytes), file('prompt.mp3', photo)]);
    expect(changed.statusCode).toBe(409);
    expect(problemCode(changed)).toBe('form.version-exists');
  });
});
