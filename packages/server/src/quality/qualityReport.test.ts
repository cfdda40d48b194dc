import { randomUUID } from 'node:crypto';
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
import { addMembership } from '../storage/queries/memberships.js';
import { createProject } from '../storage/queries/projects.js';
import type { Store } from '../storage/store.js';
import { migrate, openStore } from '../storage/store.js';
import { receiveSubmission } from '../submissions/receiveSubmission.js';
import type { QualityReport } from './qualityReport.js';
import { rangeOf } from './formRules.js';

const password = 'correct horse battery staple';
const clock = { now: () => new Date() };
let dir: string;
let store: Store;
let app: FastifyInstance;
let projectId: string;
const ids = { old: `uuid:${randomUUID()}`, ok: `uuid:${randomUUID()}`, blank: `uuid:${randomUUID()}` };

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

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-quality-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
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
  ] as const) {
    const r = await addUser({ username, displayName: username, role, password }, null, clock, store);
    if (!r.ok) throw new Error(JSON.stringify(r));
    await addMembership({ userId: r.user.id, projectId, roleId: role }, store);
  }
  app = await buildApp({ store, settings: defaultSettings, clock });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the data-quality report', () => {
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
    expect(report.newerVersion.records[0]?.problems[0]).toMatchObject({ field: '/data/age', condition: 'constraint' });
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
});
