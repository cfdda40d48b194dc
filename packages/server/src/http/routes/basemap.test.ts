import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { PMTiles, type RangeResponse, type Source } from 'pmtiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '@outpost/test-kit';
import type { SignedIn } from '@outpost/test-kit';
import { addUser } from '../../auth/users.js';
import { BASEMAP_LIMIT_BYTES } from '../../basemaps/projectBasemap.js';
import { addMembership } from '../../storage/queries/memberships.js';
import { createProject } from '../../storage/queries/projects.js';
import type { Store } from '../../storage/store.js';
import { migrate, openStore } from '../../storage/store.js';
import { buildApp, defaultSettings } from '../app.js';

const password = 'correct horse battery staple';
const demo = readFileSync(new URL('../../../../../templates/basemaps/demo.pmtiles', import.meta.url));

let dir: string;
let store: Store;
let app: FastifyInstance;
let projectId: string;
let otherProjectId: string;
const who: Record<string, SignedIn> = {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-basemap-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  app = await buildApp({ store, settings: { ...defaultSettings, dataDir: dir, loginRateLimitPerMinute: 1000 } });
  projectId = (await createProject({ slug: 'maps', name: 'Maps' }, store)).id;
  otherProjectId = (await createProject({ slug: 'elsewhere', name: 'Elsewhere' }, store)).id;
  for (const [username, role, project] of [
    ['boss', 'admin', null],
    ['sarnai', 'supervisor', projectId],
    ['tuya', 'fieldworker', projectId],
    ['ana', 'analyst', projectId],
    ['outsider', 'fieldworker', otherProjectId],
  ] as const) {
    const added = await addUser(
      { username, displayName: username, role, password },
      null,
      { now: () => new Date() },
      store,
    );
    if (!added.ok) throw new Error(added.detail);
    if (project !== null) await addMembership({ userId: added.user.id, projectId: project, roleId: role }, store);
    who[username] = await signIn(app, username, password);
  }
}, 120_000);

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function upload(as: SignedIn | null, body: Buffer, type = 'application/vnd.pmtiles'): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'PUT',
    url: `/api/v1/projects/${projectId}/basemap`,
    headers: { ...(as?.headers ?? {}), 'content-type': type },
    payload: body,
  });
}

function download(as: SignedIn | null, range?: string, project = projectId): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'GET',
    url: `/api/v1/projects/${project}/basemap.pmtiles`,
    headers: { ...(as ? { cookie: as.cookie } : {}), ...(range === undefined ? {} : { range }) },
  });
}

/** The pmtiles library reading the archive from the route, range by range, as the map does. */
function routeSource(as: SignedIn): Source & { requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    getKey: () => `${projectId}`,
    getBytes: async (offset: number, length: number): Promise<RangeResponse> => {
      const range = `bytes=${offset}-${offset + length - 1}`;
      requests.push(range);
      const res = await download(as, range);
      if (res.statusCode !== 206) throw new Error(`status ${res.statusCode}`);
      const bytes = res.rawPayload;
      return { data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer };
    },
  };
}

describe('the project basemap', () => {
  it('answers basemap.none before an administrator uploads one', async () => {
    const res = await download(who['tuya']!);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'basemap.none' });
  });

  it('refuses an upload from anyone but an administrator, and stores nothing', async () => {
    expect((await upload(null, demo)).statusCode).toBe(401);
    for (const name of ['tuya', 'sarnai', 'ana']) {
      const res = await upload(who[name]!, demo);
      expect(res.statusCode, name).toBe(403);
    }
    expect((await download(who['boss']!)).statusCode).toBe(404);
  });

  it('refuses a file that is not PMTiles v3 and keeps the previous basemap', async () => {
    expect((await upload(who['boss']!, demo)).statusCode).toBe(200);
    const notPmtiles = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(400)]);
    const bad = await upload(who['boss']!, notPmtiles);
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ code: 'basemap.invalid' });
    const v2 = Buffer.from(demo);
    v2[7] = 2;
    expect((await upload(who['boss']!, v2)).statusCode).toBe(422);
    const whole = await download(who['tuya']!);
    expect(whole.statusCode).toBe(200);
    expect(Buffer.compare(whole.rawPayload, demo)).toBe(0);
  });

  it('refuses a file over the size limit with 413 before storing it', async () => {
    const huge = Buffer.alloc(BASEMAP_LIMIT_BYTES + 1);
    demo.copy(huge, 0, 0, 127);
    const res = await upload(who['boss']!, huge);
    expect(res.statusCode).toBe(413);
    const whole = await download(who['tuya']!);
    expect(whole.rawPayload.length).toBe(demo.length);
  });

  it('refuses another body type', async () => {
    const res = await upload(who['boss']!, demo, 'text/plain');
    expect(res.statusCode).toBe(415);
  });

  it('serves byte ranges as pmtiles asks for them, to every member', async () => {
    for (const name of ['tuya', 'sarnai', 'ana', 'boss']) {
      const res = await download(who[name]!, 'bytes=0-126');
      expect(res.statusCode, name).toBe(206);
      expect(res.headers['content-range']).toBe(`bytes 0-126/${demo.length}`);
      expect(res.headers['accept-ranges']).toBe('bytes');
      expect(res.rawPayload.length).toBe(127);
      expect(res.rawPayload.subarray(0, 7).toString('latin1')).toBe('PMTiles');
    }
    const tail = await download(who['tuya']!, `bytes=${demo.length - 10}-`);
    expect(Buffer.compare(tail.rawPayload, demo.subarray(demo.length - 10))).toBe(0);
  });

  it('lets the pmtiles library read tiles of Bayanzürkh through the route', async () => {
    const source = routeSource(who['tuya']!);
    const archive = new PMTiles(source);
    const header = await archive.getHeader();
    expect(header.maxZoom).toBe(14);
    const tile = await archive.getZxy(12, 3265, 1424);
    expect(tile?.data.byteLength).toBeGreaterThan(0);
    expect(source.requests.every((range) => /^bytes=\d+-\d+$/.test(range))).toBe(true);
  });

  it('answers 416 for a range past the end or several ranges', async () => {
    const past = await download(who['tuya']!, `bytes=${demo.length + 5}-${demo.length + 10}`);
    expect(past.statusCode).toBe(416);
    expect(past.json()).toMatchObject({ code: 'basemap.range-not-satisfiable' });
    expect(past.headers['content-range']).toBe(`bytes */${demo.length}`);
    expect((await download(who['tuya']!, 'bytes=0-10,200-300')).statusCode).toBe(416);
  });

  it('hides the basemap from the signed-out and from members of other projects', async () => {
    expect((await download(null)).statusCode).toBe(401);
    const outsider = await download(who['outsider']!);
    expect(outsider.statusCode).toBe(404);
    expect(outsider.json()).toMatchObject({ code: 'project.not-found' });
  });

  it('tells the device which basemap is current, and a replacement changes it', async () => {
    const before = await app.inject({
      method: 'GET',
      url: `/api/v1/projects/${projectId}/basemap`,
      headers: { cookie: who['tuya']!.cookie },
    });
    expect(before.json()).toMatchObject({ bytes: demo.length });
    const replaced = Buffer.concat([demo, Buffer.from('trailing bytes a reader ignores')]);
    expect((await upload(who['boss']!, replaced)).statusCode).toBe(200);
    const after = await app.inject({
      method: 'GET',
      url: `/api/v1/projects/${projectId}/basemap`,
      headers: { cookie: who['tuya']!.cookie },
    });
    expect(after.json<{ sha256: string }>().sha256).not.toBe(before.json<{ sha256: string }>().sha256);
    expect((await download(who['tuya']!)).rawPayload.length).toBe(replaced.length);
  });

  it('deletes the replaced basemap file once no project uses it, and keeps one another project uses', async () => {
    const sha = async (project: string): Promise<string> =>
      (
        await app.inject({
          method: 'GET',
          url: `/api/v1/projects/${project}/basemap`,
          headers: { cookie: who['boss']!.cookie },
        })
      ).json<{ sha256: string }>().sha256;
    const put = (project: string, body: Buffer) =>
      app.inject({
        method: 'PUT',
        url: `/api/v1/projects/${project}/basemap`,
        headers: { ...who['boss']!.headers, 'content-type': 'application/vnd.pmtiles' },
        payload: body,
      });
    const shared = Buffer.concat([demo, Buffer.from('shared by two projects')]);
    expect((await put(projectId, shared)).statusCode).toBe(200);
    expect((await put(otherProjectId, shared)).statusCode).toBe(200);
    const sharedSha = await sha(projectId);
    expect(await sha(otherProjectId)).toBe(sharedSha);

    // One project moves on: the other still reads the shared file.
    expect((await put(projectId, demo)).statusCode).toBe(200);
    expect(await app.deps.blobs.exists(sharedSha)).toBe(true);
    const outsider = await app.inject({
      method: 'GET',
      url: `/api/v1/projects/${otherProjectId}/basemap.pmtiles`,
      headers: { cookie: who['outsider']!.cookie },
    });
    expect(outsider.rawPayload.length).toBe(shared.length);

    // The last one moves on too: nothing names the file, so it is gone from the blob store.
    expect((await put(otherProjectId, demo)).statusCode).toBe(200);
    expect(await app.deps.blobs.exists(sharedSha)).toBe(false);
    expect(await app.deps.blobs.exists(await sha(projectId))).toBe(true);
  });
});
