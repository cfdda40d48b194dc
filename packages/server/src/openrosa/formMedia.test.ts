// Form media other than entity lists (issue 13), replayed as ODK Collect asks for them: a form
// whose questions show an image and play audio is published with its files (one Cyrillic name);
// the form list gives it a manifest URL, the manifest lists each file with its md5 and a URL that
// serves the same bytes with the right type, and only to callers who may fill the form. Publishing
// refuses a file the form does not name and accepts a missing one, as ODK Central does.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDevice } from '../auth/sessions.js';
import { addUser } from '../auth/users.js';
import { publishForm } from '../forms/publishForm.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';

const clock = { now: () => new Date() };
const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2048, 7)]);
const sound = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(4096, 3)]);
const photoName = 'хороо-газрын-зураг.jpg';

async function workbook(version: string): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('survey').addRows([
    ['type', 'name', 'label', 'image', 'audio'],
    ['note', 'map_note', 'Where the khoroo is', photoName, ''],
    ['text', 'answer', 'Say it back', '', 'question.mp3'],
  ]);
  book.addWorksheet('settings').addRows([
    ['form_id', 'version', 'form_title'],
    ['media_form', version, 'Media form'],
  ]);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

let dir: string;
let store: Store;
let app: FastifyInstance;
let projectId: string;
const keys: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-form-media-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  projectId = (await createProject({ slug: 'media', name: 'Media' }, store)).id;
  for (const [username, role] of [
    ['bolor', 'fieldworker'],
    ['delger', 'analyst'],
  ] as const) {
    const r = await addUser(
      { username, displayName: username, role, password: 'correct horse battery' },
      null,
      clock,
      store,
    );
    if (!r.ok) throw new Error(r.detail);
    await addMembership({ userId: r.user.id, projectId, roleId: role, areaId: null }, store);
    keys[username] = (await registerDevice({ userId: r.user.id, name: `${username} Collect` }, clock, store)).token;
  }
  app = await buildApp({ store, settings: { ...defaultSettings, dataDir: dir } });
}, 60_000);

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const root = (who: string) => `/v1/key/${keys[who] ?? 'none'}/projects/${projectId}`;
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

describe('form media through publishing and the OpenRosa manifest', () => {
  it('refuses a file the form does not name, saying which, and stores nothing', async () => {
    const result = await publishForm(
      {
        projectId,
        fileName: 'media.xlsx',
        bytes: await workbook('1'),
        actorId: null,
        media: [{ name: 'stray.png', bytes: photo }],
        blobs: app.deps.blobs,
      },
      store,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('form.media-unexpected');
    expect(result.detail).toContain('"stray.png"');
    expect(result.detail).toContain(`"${photoName}"`);
    const list = await app.inject({ method: 'GET', url: `${root('bolor')}/formList` });
    expect(list.body).not.toContain('media_form');
  });

  it('publishes with a file missing, lists only what it has, and takes the missing one later', async () => {
    const bytes = await workbook('1');
    const first = await publishForm(
      {
        projectId,
        fileName: 'media.xlsx',
        bytes,
        actorId: null,
        media: [{ name: photoName, bytes: photo }],
        blobs: app.deps.blobs,
      },
      store,
    );
    if (!first.ok) throw new Error(first.detail);
    expect(first.form.missingMedia).toEqual(['question.mp3']);
    let manifest = await app.inject({ method: 'GET', url: `${root('bolor')}/forms/media_form/manifest` });
    expect(manifest.statusCode).toBe(200);
    expect([...manifest.body.matchAll(/<filename>([^<]+)</g)].map((m) => m[1])).toEqual([photoName]);

    const again = await publishForm(
      {
        projectId,
        fileName: 'media.xlsx',
        bytes,
        actorId: null,
        media: [{ name: 'question.mp3', bytes: sound }],
        blobs: app.deps.blobs,
      },
      store,
    );
    if (!again.ok) throw new Error(again.detail);
    expect(again.form.created).toBe(false);
    expect(again.form.missingMedia).toEqual([]);
    manifest = await app.inject({ method: 'GET', url: `${root('bolor')}/forms/media_form/manifest` });
    expect([...manifest.body.matchAll(/<filename>([^<]+)</g)].map((m) => m[1]).sort()).toEqual(
      ['question.mp3', photoName].sort(),
    );

    const changed = await publishForm(
      {
        projectId,
        fileName: 'media.xlsx',
        bytes,
        actorId: null,
        media: [{ name: 'question.mp3', bytes: photo }],
        blobs: app.deps.blobs,
      },
      store,
    );
    expect(changed.ok).toBe(false);
    if (!changed.ok) expect(changed.code).toBe('form.version-exists');
  });

  it('serves each file as the manifest lists it: md5, bytes, type and the Cyrillic name', async () => {
    const list = await app.inject({ method: 'GET', url: `${root('bolor')}/formList?formID=media_form` });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(
      `<manifestUrl>http://localhost:80${root('bolor')}/forms/media_form/manifest</manifestUrl>`,
    );
    const manifest = await app.inject({ method: 'GET', url: `${root('bolor')}/forms/media_form/manifest` });
    expect(manifest.headers['x-openrosa-version']).toBe('1.0');
    expect(manifest.body).not.toContain('type="entityList"');
    const files = [
      ...manifest.body.matchAll(
        /<mediaFile>\s*<filename>([^<]+)<\/filename>\s*<hash>([^<]+)<\/hash>\s*<downloadUrl>([^<]+)<\/downloadUrl>/g,
      ),
    ];
    expect(files).toHaveLength(2);
    const expected: Record<string, { bytes: Buffer; type: string }> = {
      [photoName]: { bytes: photo, type: 'image/jpeg' },
      'question.mp3': { bytes: sound, type: 'audio/mpeg' },
    };
    for (const [, name, hash, url] of files) {
      const want = expected[name ?? ''];
      if (want === undefined) throw new Error(`unexpected ${name}`);
      expect(hash).toBe(`md5:${md5(want.bytes)}`);
      const res = await app.inject({ method: 'GET', url: new URL(url ?? '').pathname });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(want.type);
      expect(res.rawPayload.equals(want.bytes)).toBe(true);
      expect(String(res.headers['content-disposition'])).toContain(
        `filename*=UTF-8''${encodeURIComponent(name ?? '')}`,
      );
      const cached = await app.inject({
        method: 'GET',
        url: new URL(url ?? '').pathname,
        headers: { 'if-none-match': String(res.headers['etag']) },
      });
      expect(cached.statusCode).toBe(304);
    }
  });

  it('gives the files only to callers who may fill the form', async () => {
    const url = `/forms/media_form/attachments/${encodeURIComponent(photoName)}`;
    const analyst = await app.inject({ method: 'GET', url: `${root('delger')}${url}` });
    expect(analyst.statusCode).toBe(403);
    expect(analyst.body).not.toContain(photo.subarray(0, 8).toString('latin1'));
    const nobody = await app.inject({ method: 'GET', url: `/v1/key/not-a-key/projects/${projectId}${url}` });
    expect(nobody.statusCode).toBe(403);
    const missing = await app.inject({ method: 'GET', url: `${root('bolor')}/forms/media_form/attachments/none.jpg` });
    expect(missing.statusCode).toBe(404);
  });
});
