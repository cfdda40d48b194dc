import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '@outpost/test-kit';
import type { SignedIn } from '@outpost/test-kit';
import { addUser } from '../../auth/users.js';
import { publishForm } from '../../forms/publishForm.js';
import { listAuditEvents } from '../../storage/queries/audit.js';
import { addMembership } from '../../storage/queries/memberships.js';
import { createProject } from '../../storage/queries/projects.js';
import type { Store } from '../../storage/store.js';
import { migrate, openStore } from '../../storage/store.js';
import { buildApp, defaultSettings } from '../app.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const password = 'correct horse battery staple';
const registration = new URL(
  '../../../../../templates/mongolia-social-protection/forms/household_registration.xlsx',
  import.meta.url,
);

let dir: string;
let store: Store;
let app: FastifyInstance;
let projectId: string;
let admin: SignedIn;
let fieldworker: SignedIn;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-case-import-'));
  store = await openStore({ databaseUrl: null, sqlitePath: path.join(dir, 'outpost.db') });
  await migrate(store);
  app = await buildApp({ store, settings: { ...defaultSettings, dataDir: dir, loginRateLimitPerMinute: 1000 } });
  projectId = (await createProject({ slug: 'register', name: 'Register' }, store)).id;
  const published = await publishForm(
    {
      projectId,
      fileName: 'household_registration.xlsx',
      bytes: new Uint8Array(readFileSync(registration)),
      actorId: null,
    },
    store,
  );
  if (!published.ok) throw new Error(published.detail);
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
}, 120_000);

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const header = 'label,head_given_name,head_dob,head_sex,needs';
const good = `\uFEFF${header}\nД. Бат-Эрдэнэ,Бат-Эрдэнэ,1950-03-04,male,food\nБ. Цэцэгмаа,Цэцэгмаа,1988-11-30,female,\n`;

function send(
  who: SignedIn | null,
  query: string,
  body: string | Buffer,
  type = 'text/csv',
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `/api/v1/projects/${projectId}/cases/import?${query}`,
    headers: { ...(who?.headers ?? {}), 'content-type': type },
    payload: body,
  });
}

async function caseCount(): Promise<number> {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/projects/${projectId}/cases?list=cases`,
    headers: { cookie: admin.cookie },
  });
  return res.json<{ total: number }>().total;
}

describe('importing a register from the web app', () => {
  it('a dry run counts what would change and writes nothing', async () => {
    const res = await send(admin, 'list=cases&dryRun=true', good);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ created: 2, updated: 0, dryRun: true });
    expect(await caseCount()).toBe(0);
  });

  it('refuses a bad file whole, each problem with its row, column and what the column takes', async () => {
    const bad = `${header},shoe_size\nД. Бат,Бат,1950-13-40,male,food\n,Цэцэг,1988-11-30,dragon,\n`;
    for (const dryRun of ['true', 'false']) {
      const res = await send(admin, `list=cases&dryRun=${dryRun}`, bad);
      expect(res.statusCode, res.body).toBe(422);
      const body = res.json<{
        code: string;
        problems: { code: string; row: number | null; column: string | null; expected?: string }[];
      }>();
      expect(body.code).toBe('import.invalid');
      expect(body.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'import.unknown-property', row: 1, column: '"shoe_size" (F)' }),
          expect.objectContaining({ code: 'import.bad-value', row: 2, column: '"head_dob" (C)', expected: 'date' }),
          expect.objectContaining({ code: 'import.label-blank', row: 3 }),
          expect.objectContaining({ code: 'import.bad-value', row: 3, column: '"head_sex" (D)', expected: 'choice' }),
        ]),
      );
    }
    expect(await caseCount()).toBe(0);
  });

  it('imports the file whole, audited, and an .xlsx the same way', async () => {
    const res = await send(admin, 'list=cases', good);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ created: 2, updated: 0, dryRun: false });
    expect(await caseCount()).toBe(2);
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('register');
    sheet.addRow(header.split(','));
    sheet.addRow(['Г. Ганбаатар', 'Ганбаатар', '1961-06-01', 'male', 'heating_winter']);
    const xlsx = Buffer.from(await book.xlsx.writeBuffer());
    const second = await send(admin, 'list=cases', xlsx, XLSX);
    expect(second.json()).toEqual({ created: 1, updated: 0, dryRun: false });
    expect(await caseCount()).toBe(3);
    const events = await listAuditEvents(0, 1000, store);
    expect(events.filter((e) => e.action === 'cases.import')).toHaveLength(2);
  });

  it('is for administrators only, with a list named and a register for a body', async () => {
    expect((await send(fieldworker, 'list=cases', good)).statusCode).toBe(403);
    expect((await send(null, 'list=cases', good)).statusCode).toBe(401);
    expect((await send(admin, '', good)).statusCode).toBe(400);
    expect((await send(admin, 'list=x%27y', good)).statusCode).toBe(400);
    expect((await send(admin, 'list=cases&dryRun=maybe', good)).statusCode).toBe(400);
    expect((await send(admin, 'list=cases', '{"label":"x"}', 'application/json')).statusCode).toBe(415);
    const unknownList = await send(admin, 'list=nothing', good);
    expect(unknownList.statusCode).toBe(422);
    expect(unknownList.json<{ problems: { code: string }[] }>().problems[0]?.code).toBe('import.unknown-list');
    expect(await caseCount()).toBe(3);
  });
});
