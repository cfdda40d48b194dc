import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '@outpost/test-kit';
import { addUser } from '../auth/users.js';
import { publishForm } from '../forms/publishForm.js';
import { buildApp, defaultSettings } from '../http/app.js';
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { receiveSubmission } from '../submissions/receiveSubmission.js';
import type { QualityReport } from './qualityReport.js';
import { rangeOf } from './formRules.js';

const password = 'correct horse battery staple';
const clock = { now: () => new Date() };

/** A survey of people: v1 takes any age, v2 (newer) keeps it within 0–120 and asks for a weight. */
async function workbook(version: string, strict: boolean): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const survey = book.addWorksheet('survey');
  survey.addRow(['type', 'name', 'label', 'constraint', 'required', 'relevant', 'sensitivity']);
  survey.addRow(['text', 'person_name', 'Name', '', '', '', 'identifying']);
  survey.addRow(['integer', 'age', 'Age', strict ? '. >= 0 and . <= 120' : '', '', '', 'normal']);
  survey.addRow(['text', 'notes', 'Notes', '', '', '', 'normal']);
  survey.addRow(['text', 'school', 'School', '', '', '${age} < 18', 'normal']);
  const settings = book.addWorksheet('settings');
  settings.addRow(['form_title', 'form_id', 'version']);
  settings.addRow(['People', 'people', version]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const instance = (id: string, version: string, age: string, notes: string) =>
  `<data id="people" version="${version}"><person_name>Canaryname</person_name><age>${age}</age><notes>${notes}</notes><school/>` +
  `<meta><instanceID>${id}</instanceID></meta></data>`;

/** The quality report through the API, on the store `open` gives (SQLite and PostgreSQL). */
export function describeQualityReport(name: string, open: () => Promise<{ store: Store; close(): Promise<void> }>) {
  let store: Store;
  let close: (() => Promise<void>) | undefined;
  let app: FastifyInstance;
  let projectId: string;
  const ids = { old: `uuid:${randomUUID()}`, ok: `uuid:${randomUUID()}`, blank: `uuid:${randomUUID()}` };

  beforeAll(async () => {
    const opened = await open();
    store = opened.store;
    close = () => opened.close();
    projectId = (await createProject({ slug: 'people', name: 'People' }, store)).id;
    const publish = async (version: string, strict: boolean) => {
      const r = await publishForm(
        { projectId, fileName: 'people.xlsx', bytes: await workbook(version, strict), actorId: null },
        store,
      );
      if (!r.ok) throw new Error(JSON.stringify(r));
    };
    await publish('1', false);
    for (const [id, age, notes] of [
      [ids.old, '150', 'well'],
      [ids.ok, '30', 'fine'],
      [ids.blank, '40', ''],
    ] as const) {
      const r = await receiveSubmission(
        { projectId, xml: instance(id, '1', age, notes), userId: null, deviceId: null },
        store,
      );
      if (!r.ok) throw new Error(JSON.stringify(r));
    }
    await publish('2', true);
    for (const [username, role] of [
      ['analyst', 'analyst'],
      ['officer', 'fieldworker'],
      ['manager', 'admin'],
    ] as const) {
      const r = await addUser({ username, displayName: username, role, password }, null, clock, store);
      if (!r.ok) throw new Error(JSON.stringify(r));
      await addMembership({ userId: r.user.id, projectId, roleId: role }, store);
    }
    app = await buildApp({ store, settings: defaultSettings, clock });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await close?.();
  });

  describe(`the data-quality report (${name})`, () => {
    it('reads min–max from constraints written as ranges, and nothing from other constraints', () => {
      expect(rangeOf('. >= 0 and . <= 120')).toEqual({ min: 0, max: 120, minExclusive: false, maxExclusive: false });
      expect(rangeOf(". > date('2020-01-01')")).toEqual({
        min: '2020-01-01',
        max: null,
        minExclusive: true,
        maxExclusive: false,
      });
      expect(rangeOf('regex(., "^[0-9]+$")')).toBeNull();
      expect(rangeOf('. >= 0 or . = -99')).toBeNull();
    });

    it('lists blank answers, values out of the newest range and records the newest version refuses, with links', async () => {
      const session = await signIn(app, 'analyst', password);
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/projects/${projectId}/forms/people/quality`,
        headers: { cookie: session.cookie },
      });
      expect(res.statusCode).toBe(200);
      const report = res.json<QualityReport & { form: string }>();
      expect(report.submissions).toBe(3);
      expect(report.version).toBe('2');
      const notes = report.missing.find((m) => m.name === 'notes');
      expect(notes?.missing).toBe(1);
      expect(notes?.records.map((r) => r.instanceId)).toEqual([ids.blank]);
      const school = report.missing.find((m) => m.name === 'school');
      expect(school).toMatchObject({ conditional: true, missing: 3 });
      // The analyst may not see names: the name question is not in the report at all.
      expect(report.missing.some((m) => m.name === 'person_name')).toBe(false);
      expect(res.body).not.toContain('Canaryname');
      expect(report.outOfRange).toHaveLength(1);
      expect(report.outOfRange[0]).toMatchObject({ name: 'age', count: 1, range: { min: 0, max: 120 } });
      expect(report.outOfRange[0]?.records).toEqual([expect.objectContaining({ instanceId: ids.old, value: '150' })]);
      expect(report.newerVersion.checked).toBe(3);
      expect(report.newerVersion.records.map((r) => r.instanceId)).toEqual([ids.old]);
      expect(report.newerVersion.records[0]?.problems[0]).toMatchObject({
        field: '/data/age',
        condition: 'constraint',
      });
    }, 60_000);

    it('is refused to a role that may not export', async () => {
      const session = await signIn(app, 'officer', password);
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/projects/${projectId}/forms/people/quality`,
        headers: { cookie: session.cookie },
      });
      expect(res.statusCode).toBe(403);
    });

    it('adds the min–max an administrator sets per question (as DHIS2 keeps it) to the out-of-range report', async () => {
      const manager = await signIn(app, 'manager', password);
      const analyst = await signIn(app, 'analyst', password);
      const url = `/api/v1/projects/${projectId}/forms/people/field-ranges`;
      const put = (headers: Record<string, string>, ranges: unknown) =>
        app.inject({ method: 'PUT', url, headers, payload: { ranges } });
      // Refused: an unknown question (a client's mistake), bounds that are not numbers or dates,
      // min above max, no bound at all; the administrator's mistakes name the question.
      for (const [ranges, code] of [
        [[{ path: '/data/height', min: '0', max: '3' }], 'request.invalid'],
        [[{ path: '/data/age', min: 'eighteen', max: null }], 'form.field-range-invalid'],
        [[{ path: '/data/age', min: '40', max: '18' }], 'form.field-range-order'],
        [[{ path: '/data/age', min: '18', max: '2030-01-01' }], 'form.field-range-order'],
        [[{ path: '/data/age', min: null, max: null }], 'form.field-range-invalid'],
      ] as const) {
        const res = await put(manager.headers, ranges);
        expect(res.statusCode, JSON.stringify(ranges)).toBe(400);
        expect(res.json<{ code: string; field?: string }>()).toMatchObject(
          code === 'request.invalid' ? { code } : { code, field: '/data/age' },
        );
      }
      expect((await put(analyst.headers, [{ path: '/data/age', min: '18', max: '35' }])).statusCode).toBe(403);

      const set = await put(manager.headers, [{ path: '/data/age', min: '18', max: '35' }]);
      expect(set.statusCode, set.body).toBe(200);
      // The answer is what a GET answers: the stored settings and the questions.
      expect(set.json<{ ranges: unknown[]; fields: unknown[] }>()).toMatchObject({
        ranges: [{ path: '/data/age', min: '18', max: '35' }],
        fields: [{ path: '/data/age' }],
      });
      const listed = await app.inject({ method: 'GET', url, headers: { cookie: analyst.cookie } });
      expect(listed.json<{ ranges: unknown[] }>().ranges).toEqual([
        expect.objectContaining({ path: '/data/age', min: '18', max: '35' }),
      ]);
      // The questions a range may be set on: the number, not the texts.
      expect(listed.json<{ fields: unknown[] }>().fields).toEqual([
        { path: '/data/age', name: 'age', type: 'integer', labels: { default: 'Age' } },
      ]);

      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/projects/${projectId}/forms/people/quality`,
        headers: { cookie: analyst.cookie },
      });
      const report = res.json<QualityReport>();
      // The form's 0–120 still catches 150; the setting's 18–35 catches 150 and 40, not 30.
      const bySource = new Map(report.outOfRange.map((f) => [f.source, f]));
      expect(bySource.get('constraint')).toMatchObject({ name: 'age', count: 1 });
      expect(bySource.get('setting')).toMatchObject({ name: 'age', count: 2, range: { min: 18, max: 35 } });
      expect(
        bySource
          .get('setting')
          ?.records.map((r) => r.value)
          .sort(),
      ).toEqual(['150', '40']);

      // An empty list removes the setting again.
      expect((await put(manager.headers, [])).statusCode).toBe(200);
      const after = await app.inject({
        method: 'GET',
        url: `/api/v1/projects/${projectId}/forms/people/quality`,
        headers: { cookie: analyst.cookie },
      });
      expect(after.json<QualityReport>().outOfRange.map((f) => f.source)).toEqual(['constraint']);
    }, 60_000);
  });
}
