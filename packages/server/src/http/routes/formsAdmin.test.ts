import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '@outpost/test-kit';
import type { SignedIn } from '@outpost/test-kit';
import { addUser } from '../../auth/users.js';
import { listAuditEvents } from '../../storage/queries/audit.js';
import { addMembership } from '../../storage/queries/memberships.js';
import { createProject } from '../../storage/queries/projects.js';
import type { Store } from '../../storage/store.js';
import { migrate, openStore } from '../../storage/store.js';
import { buildApp, defaultSettings } from '../app.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const password = 'correct horse battery staple';

type Row = [type: string, name: string, label: string, required?: string];

/** An XLSForm as an author would save it: survey rows, one choice list, the settings sheet. */
async function xlsform(version: string, rows: Row[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const survey = book.addWorksheet('survey');
  survey.addRow(['type', 'name', 'label', 'required']);
  for (const row of rows) survey.addRow(row);
  const choices = book.addWorksheet('choices');
  choices.addRow(['list_name', 'name', 'label']);
  choices.addRow(['yn', 'yes', 'Yes']);
  choices.addRow(['yn', 'no', 'No']);
  const settings = book.addWorksheet('settings');
  settings.addRow(['form_title', 'form_id', 'version']);
  settings.addRow(['Water point check', 'water_point', version]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const v1Rows: Row[] = [
  ['text', 'point_name', 'Name of the water point', 'yes'],
  ['select_one yn', 'working', 'Is it working?'],
  ['integer', 'users', 'People using it'],
];

let dir: string;
let store: Store;
let app: FastifyInstance;
let projectId: string;
let admin: SignedIn;
let fieldworker: SignedIn;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-forms-admin-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  app = await buildApp({ store, settings: { ...defaultSettings, dataDir: dir, loginRateLimitPerMinute: 1000 } });
  projectId = (await createProject({ slug: 'water', name: 'Water' }, store)).id;
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
    if (role !== 'admin') await addMembership({ userId: added.user.id, projectId, roleId: role }, store);
  }
  admin = await signIn(app, 'boss', password);
  fieldworker = await signIn(app, 'tuya', password);
}, 60_000);

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function upload(who: SignedIn, url: string, body: Buffer, fileName = 'water_point.xlsx') {
  return app.inject({
    method: 'POST',
    url: `/api/v1/projects/${projectId}/${url}`,
    headers: { ...who.headers, 'content-type': XLSX, 'content-disposition': `attachment; filename="${fileName}"` },
    payload: body,
  });
}

function get(who: SignedIn, url: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url: `/api/v1/projects/${projectId}/${url}`, headers: { cookie: who.cookie } });
}

async function storedForms(): Promise<unknown[]> {
  return (await get(admin, 'forms')).json<{ items: unknown[] }>().items;
}

describe('the publishing dry run', () => {
  it('lists every error with sheet, row and column and stores nothing', async () => {
    const broken = await xlsform('1', [
      ['text', 'point_name', 'Name of the water point'],
      ['select_one nolist', 'working', 'Is it working?'],
      ['txet', 'notes', 'Notes'],
    ]);
    const res = await upload(admin, 'forms/check', broken);
    expect(res.statusCode).toBe(422);
    const body = res.json<{ code: string; errors: Array<{ sheet: string; row: number; column: string }> }>();
    expect(body.code).toBe('form.invalid');
    expect(body.errors.length).toBeGreaterThanOrEqual(2);
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sheet: 'survey', row: 3, column: expect.stringContaining('type') }),
        expect.objectContaining({ sheet: 'survey', row: 4, column: expect.stringContaining('type') }),
      ]),
    );
    expect(await storedForms()).toEqual([]);
  });

  it('shows a first version as all questions added, and still stores nothing', async () => {
    const res = await upload(admin, 'forms/check', await xlsform('1', v1Rows));
    expect(res.statusCode).toBe(200);
    const body = res.json<{ outcome: string; diff: { previousVersion: null; added: Array<{ name: string }> } }>();
    expect(body).toMatchObject({ formId: 'water_point', version: '1', outcome: 'new' });
    expect(body.diff.previousVersion).toBeNull();
    expect(body.diff.added.map((f) => f.name)).toEqual(expect.arrayContaining(['point_name', 'working', 'users']));
    expect(await storedForms()).toEqual([]);
    const audit = await listAuditEvents(0, 1000, store);
    expect(audit.filter((e) => e.action === 'form.checked')).toHaveLength(2);
    expect(audit.some((e) => e.action === 'form.published')).toBe(false);
  });
});

describe('publishing, versions and downloads', () => {
  const v1 = xlsform('1', v1Rows);

  it('publishes a version, then the dry run of the next one shows added, removed and changed questions', async () => {
    const published = await upload(admin, 'forms', await v1);
    expect(published.statusCode).toBe(201);
    const next = await xlsform('2', [
      ['text', 'point_name', 'Name or number of the water point', 'yes'],
      ['select_one yn', 'working', 'Is it working?', 'yes'],
      ['decimal', 'depth', 'Depth (m)'],
    ]);
    const res = await upload(admin, 'forms/check', next);
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      outcome: string;
      diff: {
        previousVersion: string;
        added: Array<{ name: string }>;
        removed: Array<{ name: string }>;
        changed: Array<{
          name: string;
          changes: Array<{ aspect: string; before: string | null; after: string | null }>;
        }>;
      };
    }>();
    expect(body.outcome).toBe('new');
    expect(body.diff.previousVersion).toBe('1');
    expect(body.diff.added.map((f) => f.name)).toEqual(['depth']);
    expect(body.diff.removed.map((f) => f.name)).toEqual(['users']);
    expect(body.diff.changed).toEqual([
      expect.objectContaining({
        name: 'point_name',
        changes: [
          expect.objectContaining({
            aspect: 'label',
            before: 'Name of the water point',
            after: 'Name or number of the water point',
          }),
        ],
      }),
      expect.objectContaining({
        name: 'working',
        changes: [expect.objectContaining({ aspect: 'required', before: null, after: 'true()' })],
      }),
    ]);
    // Still one version: the dry run stored nothing.
    const versions = (await get(admin, 'forms/water_point/versions')).json<{ items: unknown[] }>().items;
    expect(versions).toHaveLength(1);
  });

  it('says before publishing that the same version with other content would be refused', async () => {
    const res = await upload(admin, 'forms/check', await xlsform('1', [...v1Rows, ['text', 'extra', 'Extra']]));
    expect(res.json()).toMatchObject({ outcome: 'conflict', version: '1' });
    const same = await upload(admin, 'forms/check', await v1);
    expect(same.json()).toMatchObject({ outcome: 'published', diff: { added: [], removed: [], changed: [] } });
  });

  it('lists the versions and gives back the XLSForm byte for byte and the XForm', async () => {
    const v2 = await xlsform('2', [...v1Rows, ['decimal', 'depth', 'Depth (m)']]);
    expect((await upload(admin, 'forms', v2)).statusCode).toBe(201);
    const versions = (await get(admin, 'forms/water_point/versions')).json<{ items: Array<{ version: string }> }>();
    expect(versions.items.map((v) => v.version)).toEqual(['2', '1']);
    for (const [version, bytes] of [
      ['1', await v1],
      ['2', v2],
    ] as const) {
      const xlsx = await get(admin, `forms/water_point/versions/${version}/form.xlsx`);
      expect(xlsx.statusCode).toBe(200);
      expect(xlsx.headers['content-type']).toBe(XLSX);
      expect(xlsx.headers['content-disposition']).toContain(`water_point-${version}.xlsx`);
      expect(xlsx.rawPayload.equals(bytes)).toBe(true);
      const xml = await get(admin, `forms/water_point/versions/${version}/form.xml`);
      expect(xml.statusCode).toBe(200);
      expect(xml.body).toContain(`version="${version}"`);
    }
    expect((await get(admin, 'forms/water_point/versions/9/form.xlsx')).statusCode).toBe(404);
  });

  it('refuses the dry run and the workbook download to anyone who may not publish', async () => {
    expect((await upload(fieldworker, 'forms/check', await v1)).statusCode).toBe(403);
    expect((await get(fieldworker, 'forms/water_point/versions/1/form.xlsx')).statusCode).toBe(403);
    const anonymous = await app.inject({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/forms/check`,
      headers: { 'content-type': XLSX },
      payload: await v1,
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('refuses a body that is not a workbook, and one over the size limit', async () => {
    const json = await app.inject({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/forms/check`,
      headers: { ...admin.headers, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(json.statusCode).toBe(415);
    const huge = await upload(admin, 'forms/check', Buffer.alloc(10 * 1024 * 1024 + 1));
    expect(huge.statusCode).toBe(413);
  });
});
