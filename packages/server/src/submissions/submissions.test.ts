import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpContext } from '../auth/secretBox.js';
import { newTotpSecret, totpCodeAt } from '../auth/totp.js';
import { addUser } from '../auth/users.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import { upsertAreas } from '../storage/queries/areas.js';
import { listAuditEvents } from '../storage/queries/audit.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';
import { householdInstance } from './householdInstance.test-support.js';
import { templateFormVersion } from '../templateFormVersion.test-support.js';

const formsDir = new URL('../../../../templates/mongolia-social-protection/forms/', import.meta.url);
const workbook = (name: string) => readFileSync(new URL(`${name}.xlsx`, formsDir));
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const password = 'correct horse battery';

/** The workbook with another settings `version`, as an author would save a new revision. */
async function withVersion(bytes: Buffer, version: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const settings = book.getWorksheet('settings');
  if (!settings) throw new Error('no settings sheet');
  settings.getRow(1).eachCell((cell, col) => {
    if (cell.value === 'version') settings.getRow(2).getCell(col).value = version;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

function visit(v: {
  instanceId: string;
  entityId: string;
  baseVersion: number;
  needs: string;
  status: string;
  /** An offline branch (ODK Collect's `branchId`), started on `trunkVersion` ('' for a case made offline). */
  branchId?: string;
}): string {
  return `<data xmlns:jr="http://openrosa.org/javarosa" id="mn_visit" version="${templateFormVersion('mn_visit')}">
  <start/><end/><today>2026-03-05</today><username>bolor</username>
  <case_id>${v.entityId}</case_id><visit_date>2026-03-05</visit_date><visit_type>phone</visit_type><contact_made>yes</contact_made>
  <visit_location/><observations/><needs>${v.needs}</needs><next_visit_date>2026-04-05</next_visit_date><case_status>${v.status}</case_status>
  <meta><instanceID>${v.instanceId}</instanceID>
    <entity dataset="cases" id="${v.entityId}" update="1" baseVersion="${v.baseVersion}" trunkVersion="" branchId="${v.branchId ?? ''}"/></meta>
</data>`;
}

let dir: string;
let store: Store;
let app: FastifyInstance;
let projectId: string;
const sessions: Record<string, { cookie: string; csrf: string }> = {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-submissions-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  const project = await createProject({ slug: 'bayanzurkh', name: 'Bayanzürkh social protection' }, store);
  projectId = project.id;
  // Part of the address list, so a registered household is placed in its khoroo.
  await upsertAreas(
    projectId,
    '2024',
    [
      { code: 'MN11', parentCode: null, level: 'aimag', names: { mn: 'Улаанбаатар', en: 'Ulaanbaatar' } },
      { code: 'MN1110', parentCode: 'MN11', level: 'district', names: { mn: 'Баянзүрх', en: 'Bayanzürkh' } },
      { code: 'MN111051', parentCode: 'MN1110', level: 'khoroo', names: { mn: '1-р хороо', en: 'Khoroo 1' } },
    ],
    store,
  );
  for (const [username, role, member] of [
    ['amina', 'admin', false],
    ['bolor', 'fieldworker', true],
    ['chuluun', 'fieldworker', false],
  ] as const) {
    const r = await addUser(
      { username, displayName: username, role, password },
      null,
      { now: () => new Date() },
      store,
    );
    if (!r.ok) throw new Error(r.detail);
    if (member) await addMembership({ userId: r.user.id, projectId, roleId: role }, store);
  }
  app = await buildApp({ store, settings: { ...defaultSettings, loginRateLimitPerMinute: 1000 } });
  // Administrators sign in with a second factor: amina has an authenticator already.
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
  for (const username of ['amina', 'bolor', 'chuluun']) {
    const totp = username === 'amina' ? { totp: totpCodeAt(secret, new Date()) } : {};
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password, ...totp },
    });
    const cookie = res.cookies.find((c) => c.name === 'outpost_session');
    if (!cookie) throw new Error(`login ${username} failed: ${res.body}`);
    sessions[username] = {
      cookie: `outpost_session=${cookie.value}`,
      csrf: res.json<{ csrfToken: string }>().csrfToken,
    };
  }
}, 60_000);

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function as(username: string) {
  const s = sessions[username];
  if (!s) throw new Error(username);
  return { cookie: s.cookie, 'x-csrf-token': s.csrf };
}

function publish(bytes: Buffer, username = 'amina', type = XLSX) {
  return app.inject({
    method: 'POST',
    url: `/api/v1/projects/${projectId}/forms`,
    headers: { ...as(username), 'content-type': type, 'content-disposition': 'attachment; filename="form.xlsx"' },
    payload: bytes,
  });
}

function submit(xml: string, username = 'bolor', type = 'application/xml') {
  return app.inject({
    method: 'POST',
    url: `/api/v1/projects/${projectId}/submissions`,
    headers: { ...as(username), 'content-type': type },
    payload: xml,
  });
}

async function cases(username = 'bolor') {
  const res = await app.inject({ method: 'GET', url: `/api/v1/projects/${projectId}/cases`, headers: as(username) });
  expect(res.statusCode).toBe(200);
  return res.json<{ items: Array<{ id: string; label: string; area: unknown }>; total: number }>();
}

async function count(table: 'submissions' | 'entities'): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json<{ code: string; detail?: string; field?: string; errors?: unknown[] }>();
  expect(body.code).toBe(code);
  return body;
}

describe('publishing forms', () => {
  it('publishes the Mongolia registration and visit forms and lists them', async () => {
    const registration = await publish(workbook('household_registration'));
    expect(registration.statusCode, registration.body).toBe(201);
    expect(registration.json()).toMatchObject({
      formId: 'mn_household_registration',
      version: templateFormVersion('mn_household_registration'),
    });
    expect((await publish(workbook('visit'))).statusCode).toBe(201);

    const list = await app.inject({ method: 'GET', url: `/api/v1/projects/${projectId}/forms`, headers: as('bolor') });
    expect(list.json<{ items: Array<{ formId: string; latestVersion: { version: string } }> }>().items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          formId: 'mn_household_registration',
          latestVersion: expect.objectContaining({ version: templateFormVersion('mn_household_registration') }),
        }),
        expect.objectContaining({ formId: 'mn_visit' }),
      ]),
    );
    const xml = await app.inject({
      method: 'GET',
      url: `/api/v1/projects/${projectId}/forms/mn_household_registration/versions/${templateFormVersion('mn_household_registration')}/form.xml`,
      headers: as('bolor'),
    });
    expect(xml.headers['content-type']).toMatch(/^application\/xml/);
    expect(xml.body).toContain(
      `<data id="mn_household_registration" version="${templateFormVersion('mn_household_registration')}">`,
    );
  }, 30_000);

  it('answers the same workbook again with the stored version and refuses other content under that version', async () => {
    const again = await publish(workbook('household_registration'));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false });
    // The same form_id and version from an edited workbook.
    const registrationEdited = await (async () => {
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(workbook('household_registration') as unknown as ExcelJS.Buffer);
      const settings = book.getWorksheet('settings');
      settings?.getRow(1).eachCell((cell, col) => {
        if (cell.value === 'form_title') settings.getRow(2).getCell(col).value = 'Renamed';
      });
      return Buffer.from(await book.xlsx.writeBuffer());
    })();
    expectProblem(await publish(registrationEdited), 409, 'form.version-exists');
  }, 30_000);

  it('refuses a broken workbook with every issue located by sheet, row and column', async () => {
    const book = new ExcelJS.Workbook();
    const survey = book.addWorksheet('survey');
    survey.addRow(['type', 'name', 'label', 'calculation']);
    survey.addRow(['text', 'name', 'Name']);
    survey.addRow(['calculate', 'greeting', '', 'concat("Hi ", ${nmae})']);
    const res = await publish(Buffer.from(await book.xlsx.writeBuffer()));
    const body = expectProblem(res, 422, 'form.invalid');
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sheet: 'survey', row: 3, column: expect.stringContaining('calculation') }),
      ]),
    );
  });

  it('refuses anything but an .xlsx body with 415, and publishing by a field worker with 403', async () => {
    expectProblem(await publish(Buffer.from('{}'), 'amina', 'application/json'), 415, 'request.unsupported-media-type');
    expectProblem(await publish(Buffer.from('a,b'), 'amina', 'text/csv'), 415, 'request.unsupported-media-type');
    expectProblem(await publish(workbook('visit'), 'bolor'), 403, 'auth.forbidden');
  });

  it('hides a project and its forms from non-members', async () => {
    for (const url of [
      `/api/v1/projects/${projectId}/forms`,
      `/api/v1/projects/${projectId}/forms/mn_visit/versions`,
      `/api/v1/projects/${projectId}/forms/mn_visit/versions/${templateFormVersion('mn_visit')}/form.xml`,
    ]) {
      expectProblem(await app.inject({ method: 'GET', url, headers: as('chuluun') }), 404, 'project.not-found');
    }
    const entityId = randomUUID();
    expectProblem(
      await submit(householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId }), 'chuluun'),
      404,
      'project.not-found',
    );
  });
});

describe('submissions', () => {
  const entityId = randomUUID();
  const instanceId = `uuid:${randomUUID()}`;

  it('stores a valid household and creates its case', async () => {
    const res = await submit(householdInstance({ instanceId, entityId }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      instanceId,
      formId: 'mn_household_registration',
      entity: { action: 'created', entityId, version: 1, list: 'cases' },
    });
    const page = await cases();
    expect(page.items).toContainEqual(expect.objectContaining({ id: entityId, label: 'Б. Болд' }));
    // Placed by its address: the deepest area code among its properties.
    expect(page.items.find((c) => c.id === entityId)).toMatchObject({ area: { code: 'MN111051', name: 'Khoroo 1' } });
    const events = await listAuditEvents(0, 500, store);
    const received = events.find((e) => e.action === 'submission.received' && e.subject === instanceId);
    expect(received?.details).toMatchObject({ entityId, entityAction: 'created' });
    expect(JSON.stringify(received?.details)).not.toContain('Болд');
  }, 30_000);

  it('answers the same instance again with the same receipt and stores nothing new', async () => {
    const before = await count('submissions');
    const first = await app.inject({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/submissions`,
      headers: { ...as('bolor'), 'content-type': 'text/xml' },
      payload: householdInstance({ instanceId, entityId }),
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ instanceId, entity: { action: 'created', entityId, version: 1 } });
    expect(await count('submissions')).toBe(before);
    const changed = await submit(householdInstance({ instanceId, entityId, income: '1' }));
    expectProblem(changed, 409, 'submission.conflict');
  });

  it('rejects a register number that breaks its constraint, naming the field, and stores nothing', async () => {
    const before = { submissions: await count('submissions'), entities: await count('entities') };
    const res = await submit(
      householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: randomUUID(), register: 'AB12' }),
    );
    const body = expectProblem(res, 422, 'submission.invalid');
    expect(body.field).toBe('/data/head/head_register_number');
    expect(body.detail).toContain('2 кирилл үсэг, 8 тоо');
    expect(await count('submissions')).toBe(before.submissions);
    expect(await count('entities')).toBe(before.entities);
  });

  it('rejects a value of the wrong type', async () => {
    const res = await submit(
      householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: randomUUID(), income: 'lots' }),
    );
    const body = expectProblem(res, 422, 'submission.invalid');
    expect(body.field).toBe('/data/situation/monthly_income');
  });

  it('refuses an instance of an unknown form version, and a body that is not XML', async () => {
    const res = await submit(
      householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: randomUUID(), version: '1999' }),
    );
    expectProblem(res, 422, 'submission.unknown-form');
    expectProblem(await submit('<data', 'bolor'), 422, 'submission.invalid');
    expectProblem(await submit('{"a":1}', 'bolor', 'application/json'), 415, 'request.unsupported-media-type');
  });

  it('keeps accepting the old version after a new one is published', async () => {
    const republished = await publish(await withVersion(workbook('household_registration'), '2026120101'));
    expect(republished.statusCode, republished.body).toBe(201);
    const old = await submit(
      householdInstance({
        instanceId: `uuid:${randomUUID()}`,
        entityId: randomUUID(),
        version: templateFormVersion('mn_household_registration'),
      }),
    );
    expect(old.statusCode, old.body).toBe(201);
    const fresh = await submit(
      householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: randomUUID(), version: '2026120101' }),
    );
    expect(fresh.statusCode, fresh.body).toBe(201);
  }, 30_000);

  it('serves the case list to the visit form and applies a visit to the case', async () => {
    const csv = await app.inject({
      method: 'GET',
      url: `/api/v1/projects/${projectId}/forms/mn_visit/versions/${templateFormVersion('mn_visit')}/attachments/cases.csv`,
      headers: as('bolor'),
    });
    expect(csv.statusCode, csv.body).toBe(200);
    const [header, ...rows] = csv.body.trim().split('\r\n');
    expect(header?.startsWith('name,label,__version,head_family_name')).toBe(true);
    expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^${entityId},Б. Болд,1,Боржигин`)));
    // The khoroo's names close each row, so a picker tells two households of one name apart.
    expect(header?.endsWith(',__area_name_en,__area_name_mn')).toBe(true);
    expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^${entityId},.*,Khoroo 1,1-р хороо$`)));

    const res = await submit(
      visit({
        instanceId: `uuid:${randomUUID()}`,
        entityId,
        baseVersion: 1,
        needs: 'cash employment',
        status: 'in_progress',
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ entity: { action: 'updated', entityId, version: 2, conflict: null } });
    const entity = await store.db
      .selectFrom('entities')
      .selectAll()
      .where('id', '=', entityId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(entity.properties)).toMatchObject({
      needs: 'cash employment',
      case_status: 'in_progress',
      head_given_name: 'Болд',
    });
  }, 30_000);

  it('applies an update made from an old version and flags the conflict as ODK Central does', async () => {
    // A second worker, offline since version 1, also records a visit: same property, other value.
    const res = await submit(
      visit({ instanceId: `uuid:${randomUUID()}`, entityId, baseVersion: 1, needs: 'food', status: 'in_progress' }),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ entity: { action: 'updated', version: 3, conflict: 'hard' } });
    const entity = await store.db
      .selectFrom('entities')
      .selectAll()
      .where('id', '=', entityId)
      .executeTakeFirstOrThrow();
    expect(entity).toMatchObject({ version: 3, base_version: 1, conflict: 'hard' });
    expect(JSON.parse(entity.properties)).toMatchObject({ needs: 'food' });
  });

  it('holds an offline visit that arrives before its registration, and applies it once the case exists', async () => {
    const late = randomUUID();
    const early = await submit(
      visit({
        instanceId: `uuid:${randomUUID()}`,
        entityId: late,
        baseVersion: 1,
        needs: 'health',
        status: 'in_progress',
        // Registered and visited offline on one tablet: the visit is in the registration's branch.
        branchId: randomUUID(),
      }),
    );
    expect(early.statusCode, early.body).toBe(201);
    expect(early.json()).toMatchObject({ entity: { action: 'held' } });
    const created = await submit(householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: late }));
    expect(created.statusCode, created.body).toBe(201);
    const entity = await store.db.selectFrom('entities').selectAll().where('id', '=', late).executeTakeFirstOrThrow();
    expect(entity.version).toBe(2);
    expect(JSON.parse(entity.properties)).toMatchObject({ needs: 'health', case_status: 'in_progress' });
  });

  it('flags a soft conflict when the stale update touches only what nobody else changed', async () => {
    const other = randomUUID();
    await submit(householdInstance({ instanceId: `uuid:${randomUUID()}`, entityId: other }));
    await submit(
      visit({
        instanceId: `uuid:${randomUUID()}`,
        entityId: other,
        baseVersion: 1,
        needs: 'cash',
        status: 'in_progress',
      }),
    );
    const stale = await submit(
      visit({
        instanceId: `uuid:${randomUUID()}`,
        entityId: other,
        baseVersion: 1,
        needs: 'cash',
        status: 'in_progress',
      }),
    );
    expect(stale.json()).toMatchObject({ entity: { action: 'updated', version: 3, conflict: 'soft' } });
  }, 30_000);
});
