// ODK Collect's request sequence against the real server (SQLite, real files): form list,
// form download, manifest, entity list with If-None-Match, HEAD then POST, a photo split over two
// POSTs, a retry, and an edit — every status, OpenRosa header and body checked. App users are
// device keys under /v1/key/:token; web users sign in with HTTP Basic.
import { createHash, randomUUID } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpContext } from '../auth/secretBox.js';
import { registerDevice, revokeDevice } from '../auth/sessions.js';
import { newTotpSecret, totpCodeAt } from '../auth/totp.js';
import { addUser } from '../auth/users.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import { upsertAreas } from '../storage/queries/areas.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';
import { householdInstance } from '../submissions/householdInstance.test-support.js';

const formsDir = new URL('../../../../templates/mongolia-social-protection/forms/', import.meta.url);
const workbook = (name: string) => readFileSync(new URL(`${name}.xlsx`, formsDir));
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const password = 'correct horse battery';
const clock = { now: () => new Date() };

let dir: string;
let store: Store;
let app: FastifyInstance;
let projectId: string;
const keys: Record<string, { token: string; deviceId: string }> = {};
let adminHeaders: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-openrosa-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  projectId = (await createProject({ slug: 'bayanzurkh', name: 'Bayanzürkh' }, store)).id;
  const areas = await upsertAreas(
    projectId,
    '2024',
    [
      { code: 'MN11', parentCode: null, level: 'aimag', names: { mn: 'Улаанбаатар', en: 'Ulaanbaatar' } },
      { code: 'MN1110', parentCode: 'MN11', level: 'district', names: { mn: 'Баянзүрх', en: 'Bayanzürkh' } },
      { code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { mn: '1-р хороо', en: 'Khoroo 1' } },
      { code: 'MN111052', parentCode: 'MN1110', level: 'khoroo', names: { mn: '2-р хороо', en: 'Khoroo 2' } },
    ],
    store,
  );
  const areaId = (code: string) => areas.find((a) => a.code === code)?.id ?? null;
  for (const [username, role, area] of [
    ['amina', 'admin', null],
    ['bolor', 'fieldworker', 'MN111051'],
    ['chuluun', 'fieldworker', 'MN111052'],
  ] as const) {
    const r = await addUser({ username, displayName: username, role, password }, null, clock, store);
    if (!r.ok) throw new Error(r.detail);
    if (area !== null) {
      await addMembership({ userId: r.user.id, projectId, roleId: role, areaId: areaId(area) }, store);
      keys[username] = await registerDevice({ userId: r.user.id, name: `${username} Collect` }, clock, store);
    }
  }
  app = await buildApp({ store, settings: { ...defaultSettings, loginRateLimitPerMinute: 1000 } });
  const secret = newTotpSecret();
  const amina = await store.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'amina')
    .executeTakeFirstOrThrow();
  await store.db
    .updateTable('users')
    .set({ totp_secret: app.deps.secrets.seal(secret, totpContext(amina.id)) })
    .where('id', '=', amina.id)
    .execute();
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'amina', password, totp: totpCodeAt(secret, new Date()) },
  });
  const cookie = login.cookies.find((c) => c.name === 'outpost_session');
  if (!cookie) throw new Error(login.body);
  adminHeaders = {
    cookie: `outpost_session=${cookie.value}`,
    'x-csrf-token': login.json<{ csrfToken: string }>().csrfToken,
  };
  for (const form of ['household_registration', 'visit']) {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/forms`,
      headers: {
        cookie: `outpost_session=${cookie.value}`,
        'x-csrf-token': login.json<{ csrfToken: string }>().csrfToken,
        'content-type': XLSX,
      },
      payload: workbook(form),
    });
    if (res.statusCode !== 201) throw new Error(res.body);
  }
}, 60_000);

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const root = (who: string) => `/v1/key/${keys[who]?.token ?? 'none'}/projects/${projectId}`;

function expectOpenRosa(res: LightMyRequestResponse): void {
  expect(res.headers['x-openrosa-version']).toBe('1.0');
  expect(res.headers['x-openrosa-accept-content-length']).toBe(String(defaultSettings.attachmentMaxBytes));
  expect(new Date(String(res.headers['date'])).getTime()).not.toBeNaN();
}

/** A multipart body as Collect sends it: the instance, then attachment parts named by file. */
function multipart(xml: string, files: Array<{ name: string; type: string; bytes: Buffer }>) {
  const boundary = `----outpost${randomUUID()}`;
  const chunks: Buffer[] = [];
  const part = (headers: string, bytes: Buffer) =>
    chunks.push(Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`, 'utf8'), bytes, Buffer.from('\r\n'));
  part(
    'Content-Disposition: form-data; name="xml_submission_file"; filename="submission.xml"\r\nContent-Type: text/xml',
    Buffer.from(xml, 'utf8'),
  );
  for (const f of files) {
    part(`Content-Disposition: form-data; name="${f.name}"; filename="${f.name}"\r\nContent-Type: ${f.type}`, f.bytes);
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: Buffer.concat(chunks) };
}

describe('OpenRosa, as ODK Collect uses it', () => {
  const caseId = randomUUID();
  const instanceId = `uuid:${randomUUID()}`;
  const registration = householdInstance({ instanceId, entityId: caseId, bag: 'MN111051', given: 'Ганбат' });

  it('lists the forms with md5 hashes and URLs that lead to the same XML', async () => {
    const list = await app.inject({ method: 'GET', url: `${root('bolor')}/formList` });
    expect(list.statusCode).toBe(200);
    expectOpenRosa(list);
    expect(list.headers['content-type']).toMatch(/^text\/xml/);
    expect(list.body).toContain('<xforms xmlns="http://openrosa.org/xforms/xformsList">');
    const ids = [...list.body.matchAll(/<formID>([^<]+)<\/formID>/g)].map((m) => m[1]).sort();
    expect(ids).toEqual(['mn_household_registration', 'mn_visit']);
    const visit =
      /<xform>(?:(?!<\/xform>)[\s\S])*<formID>mn_visit<\/formID>[\s\S]*?<\/xform>/.exec(list.body)?.[0] ?? '';
    const downloadUrl = /<downloadUrl>([^<]+)</.exec(visit)?.[1] ?? '';
    expect(downloadUrl).toBe(`http://localhost:80${root('bolor')}/forms/mn_visit.xml`);
    const form = await app.inject({ method: 'GET', url: new URL(downloadUrl).pathname });
    expect(form.statusCode).toBe(200);
    expectOpenRosa(form);
    expect(form.body).toContain('<h:html');
    expect(/<hash>([^<]+)</.exec(visit)?.[1]).toBe(`md5:${createHash('md5').update(form.body).digest('hex')}`);
    expect(visit).toContain(`<manifestUrl>http://localhost:80${root('bolor')}/forms/mn_visit/manifest</manifestUrl>`);

    const one = await app.inject({ method: 'GET', url: `${root('bolor')}/formList?formID=mn_visit&verbose=true` });
    expect([...one.body.matchAll(/<formID>/g)]).toHaveLength(1);
    expect(one.body).toContain('<descriptionText>');
  });

  it('asks for a username and password without a key, and takes HTTP Basic', async () => {
    const bare = await app.inject({ method: 'GET', url: `/v1/projects/${projectId}/formList` });
    expect(bare.statusCode).toBe(401);
    expect(bare.headers['www-authenticate']).toMatch(/^Basic /);
    expectOpenRosa(bare);
    const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;
    const wrong = await app.inject({
      method: 'GET',
      url: `/v1/projects/${projectId}/formList`,
      headers: { authorization: basic('bolor', 'not the password') },
    });
    expect(wrong.statusCode).toBe(401);
    const right = await app.inject({
      method: 'GET',
      url: `/v1/projects/${projectId}/formList`,
      headers: { authorization: basic('bolor', password) },
    });
    expect(right.statusCode).toBe(200);
    expect(right.body).toContain(
      `<downloadUrl>http://localhost:80/v1/projects/${projectId}/forms/mn_visit.xml</downloadUrl>`,
    );
  });

  it('answers HEAD with 204, then takes the registration with its photo split over two POSTs', async () => {
    const head = await app.inject({ method: 'HEAD', url: `${root('bolor')}/submission` });
    expect(head.statusCode).toBe(204);
    expectOpenRosa(head);
    const photo = Buffer.alloc(300_000, 7);
    const first = multipart(registration, [{ name: 'хаалга.jpg', type: 'image/jpeg', bytes: photo.subarray(0, 10) }]);
    const post1 = await app.inject({ method: 'POST', url: `${root('bolor')}/submission`, ...first });
    expect(post1.statusCode).toBe(201);
    expectOpenRosa(post1);
    expect(post1.body).toContain('<OpenRosaResponse xmlns="http://openrosa.org/http/response"');
    const second = multipart(registration, [{ name: 'card.jpg', type: 'image/jpeg', bytes: photo }]);
    const post2 = await app.inject({ method: 'POST', url: `${root('bolor')}/submission`, ...second });
    expect(post2.statusCode).toBe(201);
    // A retry after a dropped connection: the same body again changes nothing and still says 201.
    const retry = await app.inject({ method: 'POST', url: `${root('bolor')}/submission`, ...second });
    expect(retry.statusCode).toBe(201);
    const rows = await store.db
      .selectFrom('attachments')
      .select(['name', 'bytes'])
      .where('instance_id', '=', instanceId)
      .orderBy('name')
      .execute();
    expect(rows.map((r) => [r.name, Number(r.bytes)])).toEqual([
      ['card.jpg', 300_000],
      ['хаалга.jpg', 10],
    ]);
    const stored = await store.db
      .selectFrom('submissions')
      .select('instance_id')
      .where('instance_id', '=', instanceId)
      .execute();
    expect(stored).toHaveLength(1);
  });

  it('refuses other XML under the same instanceID with 409', async () => {
    const other = householdInstance({ instanceId, entityId: caseId, bag: 'MN111051', given: 'Бат' });
    const res = await app.inject({ method: 'POST', url: `${root('bolor')}/submission`, ...multipart(other, []) });
    expect(res.statusCode).toBe(409);
    expectOpenRosa(res);
  });

  it('serves the entity list with an ETag and 304, only the cases in the app user’s reach', async () => {
    const manifest = await app.inject({ method: 'GET', url: `${root('bolor')}/forms/mn_visit/manifest` });
    expect(manifest.statusCode).toBe(200);
    expectOpenRosa(manifest);
    expect(manifest.body).toContain('<mediaFile type="entityList">');
    expect(manifest.body).toContain('<filename>cases.csv</filename>');
    expect(manifest.body).toContain(
      `<integrityUrl>http://localhost:80${root('bolor')}/datasets/cases/integrity</integrityUrl>`,
    );
    const url = `${root('bolor')}/forms/mn_visit/attachments/cases.csv`;
    const csv = await app.inject({ method: 'GET', url });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split('\r\n')[0]).toMatch(/^name,label,__version,/);
    expect(csv.body).toContain(caseId);
    expect(manifest.body).toContain(`<hash>md5:${createHash('md5').update(csv.body).digest('hex')}</hash>`);
    const etag = String(csv.headers['etag']);
    const again = await app.inject({ method: 'GET', url, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');

    const theirs = await app.inject({ method: 'GET', url: `${root('chuluun')}/forms/mn_visit/attachments/cases.csv` });
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain(caseId);
    const integrity = (who: string) =>
      app.inject({ method: 'GET', url: `${root(who)}/datasets/cases/integrity?id=${caseId}` });
    expect((await integrity('bolor')).body).toContain(`<entity id="${caseId}">\n      <deleted>false</deleted>`);
    expect((await integrity('chuluun')).body).toContain(`<entity id="${caseId}">\n      <deleted>true</deleted>`);
  });

  it('answers 403 to a revoked key from the next request on', async () => {
    const key = keys['chuluun'];
    if (!key) throw new Error('no key');
    expect((await app.inject({ method: 'GET', url: `${root('chuluun')}/formList` })).statusCode).toBe(200);
    await revokeDevice(key.deviceId, clock, store);
    const res = await app.inject({ method: 'GET', url: `${root('chuluun')}/formList` });
    expect(res.statusCode).toBe(403);
    expectOpenRosa(res);
    const post = await app.inject({
      method: 'POST',
      url: `${root('chuluun')}/submission`,
      ...multipart(
        householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: randomUUID(), bag: 'MN111052' }),
        [],
      ),
    });
    expect(post.statusCode).toBe(403);
  });
});

describe('bad submissions get a clear 4xx and store nothing', () => {
  it('refuses a broken multipart body, a missing instance part, another media type and an oversize body', async () => {
    const before = await store.db.selectFrom('submissions').select('instance_id').execute();
    const post = (headers: Record<string, string>, payload: string | Buffer) =>
      app.inject({ method: 'POST', url: `${root('bolor')}/submission`, headers, payload });
    const broken = await post({ 'content-type': 'multipart/form-data; boundary=xyz' }, '--xyz\r\nno headers end');
    expect([broken.statusCode, broken.json<{ code: string }>().code]).toEqual([400, 'request.invalid']);
    const onlyPhoto = await post(
      { 'content-type': 'multipart/form-data; boundary=xyz' },
      '--xyz\r\nContent-Disposition: form-data; name="a.jpg"; filename="a.jpg"\r\n\r\nabc\r\n--xyz--\r\n',
    );
    expect(onlyPhoto.statusCode).toBe(400);
    expect(onlyPhoto.body).toContain('xml_submission_file');
    const json = await post({ 'content-type': 'application/json' }, '{}');
    expect(json.statusCode).toBe(415);
    const huge = await post(
      { 'content-type': 'multipart/form-data; boundary=xyz' },
      Buffer.alloc(defaultSettings.attachmentMaxBytes + 1, 97),
    );
    expect([huge.statusCode, huge.json<{ code: string }>().code]).toEqual([413, 'request.too-large']);
    expect(await store.db.selectFrom('submissions').select('instance_id').execute()).toEqual(before);
  });
});

describe('app users set up by an administrator', () => {
  it('gives the Collect QR settings with the key in server_url; revoking the device ends it', async () => {
    const created = await app.inject({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/app-users`,
      headers: adminHeaders,
      payload: { displayName: 'Таблет 7', area: 'MN111052' },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json<{ id: string; token: string; serverUrl: string; collectSettings: string }>();
    expect(body.serverUrl).toBe(`http://localhost:80/v1/key/${body.token}/projects/${projectId}`);
    const settings = JSON.parse(inflateSync(Buffer.from(body.collectSettings, 'base64')).toString('utf8')) as {
      general: { server_url: string; username: string };
    };
    expect(settings.general).toMatchObject({ server_url: body.serverUrl, username: '' });
    const list = `${new URL(body.serverUrl).pathname}/formList`;
    expect((await app.inject({ method: 'GET', url: list })).statusCode).toBe(200);

    const unknownArea = await app.inject({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/app-users`,
      headers: adminHeaders,
      payload: { displayName: 'x', area: 'NOWHERE' },
    });
    expect(unknownArea.statusCode).toBe(400);

    const revoked = await app.inject({
      method: 'POST',
      url: `/api/v1/devices/${body.id}/revoke`,
      headers: adminHeaders,
    });
    expect(revoked.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: list })).statusCode).toBe(403);
  });
});

// Issue 13: behind a reverse proxy that terminates TLS, the links Collect follows must carry the
// address the tablet used (https, the public host), not the proxy's hop to 127.0.0.1.
describe('links behind a TLS reverse proxy', () => {
  const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'outpost.example.org' };

  async function linksOf(
    settings: Partial<typeof defaultSettings>,
  ): Promise<{ list: string; manifest: string; qr: string }> {
    const behind = await buildApp({
      store,
      settings: { ...defaultSettings, loginRateLimitPerMinute: 1000, ...settings },
    });
    try {
      const list = await behind.inject({ method: 'GET', url: `${root('bolor')}/formList`, headers: forwarded });
      const manifest = await behind.inject({
        method: 'GET',
        url: `${root('bolor')}/forms/mn_visit/manifest`,
        headers: forwarded,
      });
      const created = await behind.inject({
        method: 'POST',
        url: `/api/v1/projects/${projectId}/app-users`,
        headers: { ...adminHeaders, ...forwarded },
        payload: { displayName: 'Proxy tablet', area: 'MN111051' },
      });
      expect([list.statusCode, manifest.statusCode, created.statusCode]).toEqual([200, 200, 201]);
      const settingsJson = JSON.parse(
        inflateSync(Buffer.from(created.json<{ collectSettings: string }>().collectSettings, 'base64')).toString(
          'utf8',
        ),
      ) as { general: { server_url: string } };
      return { list: list.body, manifest: manifest.body, qr: settingsJson.general.server_url };
    } finally {
      await behind.close();
    }
  }

  it('follows X-Forwarded-Proto and -Host with --trust-proxy', async () => {
    const { list, manifest, qr } = await linksOf({ trustProxy: true });
    expect(list).toContain(`<downloadUrl>https://outpost.example.org${root('bolor')}/forms/mn_visit.xml</downloadUrl>`);
    expect(list).toContain(
      `<manifestUrl>https://outpost.example.org${root('bolor')}/forms/mn_visit/manifest</manifestUrl>`,
    );
    expect(manifest).toContain(
      `<integrityUrl>https://outpost.example.org${root('bolor')}/datasets/cases/integrity</integrityUrl>`,
    );
    expect(qr).toMatch(new RegExp(`^https://outpost\\.example\\.org/v1/key/[A-Za-z0-9_-]+/projects/${projectId}$`));
  });

  it('ignores forwarded headers without --trust-proxy', async () => {
    const { list, qr } = await linksOf({});
    expect(list).toContain(`<downloadUrl>http://localhost:80${root('bolor')}/forms/mn_visit.xml</downloadUrl>`);
    expect(list).not.toContain('outpost.example.org');
    expect(qr).toMatch(/^http:\/\/localhost:80\/v1\/key\//);
  });

  it('uses --public-url whatever the request says', async () => {
    const { list, manifest, qr } = await linksOf({ publicUrl: 'https://data.example.mn/outpost', trustProxy: true });
    expect(list).toContain(
      `<downloadUrl>https://data.example.mn/outpost${root('bolor')}/forms/mn_visit.xml</downloadUrl>`,
    );
    expect(manifest).toContain(
      `<integrityUrl>https://data.example.mn/outpost${root('bolor')}/datasets/cases/integrity</integrityUrl>`,
    );
    expect(qr.startsWith('https://data.example.mn/outpost/v1/key/')).toBe(true);
  });
});
