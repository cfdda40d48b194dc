// The steps several browser tests take the same way: signing in (API and page), publishing a form
// with the CLI, unlocking the device, filling the household registration.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { repoRoot, type RunningServer } from './server.js';

export const demoPassword = 'outpost-demo-2026';
export const demoProject = 'Bayanzürkh social protection';

/** The CSS selector of a form question by its instance path. */
export const at = (reference: string): string => `[data-reference="${reference}"]`;

const run = promisify(execFile);

/** A signed-in API session of a demo user, for arranging and checking what the browser does. */
export interface ApiSession {
  /** The session cookie and CSRF token, for requests the test builds itself. */
  readonly headers: Record<string, string>;
  /** GET under /api/v1, expecting 200. */
  get<T>(path: string): Promise<T>;
  /** GET under /api/v1, whatever the answer. */
  fetch(path: string): Promise<Response>;
}

export async function apiLogin(server: RunningServer, username = 'fieldworker'): Promise<ApiSession> {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: demoPassword }),
  });
  expect(login.status).toBe(200);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const headers = { cookie, 'x-csrf-token': csrfToken };
  const fetchPath = (path: string): Promise<Response> => fetch(`${server.url}/api/v1${path}`, { headers });
  return {
    headers,
    fetch: fetchPath,
    async get<T>(path: string): Promise<T> {
      const response = await fetchPath(path);
      expect(response.status, await response.clone().text()).toBe(200);
      return (await response.json()) as T;
    },
  };
}

/** The demo's Mongolian project, as `api`'s user sees it. */
export async function demoProjectOf(api: ApiSession): Promise<{ id: string; slug: string; name: string }> {
  const projects = await api.get<{ items: { id: string; slug: string; name: string }[] }>('/projects');
  const project = projects.items.find((p) => p.name === demoProject);
  if (!project) throw new Error(`no project "${demoProject}"`);
  return project;
}

/**
 * `outpost form publish` into the running server's data folder; its output. (The API would need
 * the admin, who must enrol in two-factor sign-in first.)
 */
export async function publishWithCli(server: RunningServer, file: string, projectSlug: string): Promise<string> {
  return cliInServer(server, ['form', 'publish', file, '--project', projectSlug]);
}

/** Runs an `outpost` command against the running server's data folder, as an operator would; its output. */
export async function cliInServer(server: RunningServer, args: readonly string[]): Promise<string> {
  const cli = join(repoRoot, 'packages/cli/dist/main.js');
  const { stdout } = await run(process.execPath, [cli, ...args, '--data-dir', server.dataDir], { cwd: repoRoot });
  return stdout;
}

/** Opens the app and signs in on its English login screen. */
export async function signIn(page: Page, server: RunningServer, username = 'fieldworker'): Promise<void> {
  await page.goto(server.url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(demoPassword);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/**
 * The first sign-in of an administrator or supervisor: enrols an authenticator on the "Set up
 * two-step sign-in" screen with the code it would show, and waits for the project list.
 */
export async function enrolAuthenticator(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Set up two-step sign-in' }).waitFor();
  const secret = ((await page.locator('.enrolment__secret').textContent()) ?? '').replace(/\s/g, '');
  const code = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate();
  await page.getByLabel('6-digit code').fill(code);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('heading', { name: 'Your projects' }).waitFor();
}

/**
 * The demo's visit form as an author edits it: a new version, one question more (`water_source`),
 * the English label of `observations` reworded; with `broken`, the new question's type misspelt.
 * Returns the bytes and the worksheet row of the new question.
 */
export async function editedVisitForm(version: string, broken: boolean): Promise<{ bytes: Buffer; row: number }> {
  const book = new ExcelJS.Workbook();
  const file = join(repoRoot, 'templates/mongolia-social-protection/forms/visit.xlsx');
  await book.xlsx.load((await readFile(file)) as unknown as ExcelJS.Buffer);
  const survey = book.getWorksheet('survey');
  const settings = book.getWorksheet('settings');
  if (!survey || !settings) throw new Error('the visit form has no survey or settings sheet');
  const columns = new Map<string, number>();
  survey.getRow(1).eachCell((cell, col) => columns.set(cell.text, col));
  const col = (header: string): number => {
    const found = columns.get(header);
    if (found === undefined) throw new Error(`no column ${header} in the visit form`);
    return found;
  };
  survey.eachRow((row) => {
    if (row.getCell(col('name')).value === 'observations') {
      row.getCell(col('label::English (en)')).value = 'What you saw and did';
    }
  });
  const row = survey.rowCount + 1;
  const added = survey.getRow(row);
  added.getCell(col('type')).value = broken ? 'txet' : 'text';
  added.getCell(col('name')).value = 'water_source';
  added.getCell(col('label::Mongolian (mn)')).value = 'Усны эх үүсвэр';
  added.getCell(col('label::English (en)')).value = 'Water source';
  added.commit();
  settings.getRow(1).eachCell((cell, c) => {
    if (cell.value === 'version') settings.getRow(2).getCell(c).value = version;
  });
  return { bytes: Buffer.from(await book.xlsx.writeBuffer()), row };
}

/** Opens the sealed device data from the unlock screen; how long the unlock itself took, in ms. */
export async function unlock(page: Page): Promise<number> {
  await page.getByRole('heading', { name: 'Unlock' }).waitFor();
  await page.getByLabel('Password').fill(demoPassword);
  const started = Date.now();
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await page.getByRole('button', { name: 'Log out', exact: true }).waitFor();
  return Date.now() - started;
}

export interface Household {
  family: string;
  fathers: string;
  given: string;
  register: string;
  dob: string;
  address: string;
  /** The head's daughter, the one household member entered. */
  child: string;
}

/**
 * Fills the household registration from consent: up to the address (the page stays open), or on
 * through the members to the situation page (the caller finishes it).
 */
export async function fillHousehold(page: Page, person: Household, through: 'address' | 'situation'): Promise<void> {
  await page.locator(`${at('/data/consent')} input[value="yes"]`).check();
  await page.getByRole('button', { name: 'Next' }).click();

  await page.locator(`${at('/data/head/head_given_name')} input`).waitFor();
  await page.locator(`${at('/data/head/head_family_name')} input`).fill(person.family);
  await page.locator(`${at('/data/head/head_fathers_name')} input`).fill(person.fathers);
  await page.locator(`${at('/data/head/head_given_name')} input`).fill(person.given);
  await page.locator(`${at('/data/head/head_register_number')} input`).fill(person.register);
  await page.locator(`${at('/data/head/head_dob')} input`).fill(person.dob);
  await page.locator(`${at('/data/head/head_sex')} input[value="male"]`).check();
  await page.getByRole('button', { name: 'Next' }).click();

  await page.locator(`${at('/data/address/soum')} input[value="MN1110"]`).check();
  await page
    .locator(`${at('/data/address/bag')} input[type="radio"]`)
    .first()
    .check();
  await page.locator(`${at('/data/address/address_detail')} input`).fill(person.address);
  if (through === 'address') return;
  await page.getByRole('button', { name: 'Next' }).click();

  await page.locator(at('/data/members')).first().waitFor();
  if ((await page.locator(at('/data/members[1]')).count()) === 0) {
    await page.getByRole('button', { name: /Add/ }).click();
  }
  const member = (name: string): string => `${at(`/data/members[1]/${name}`)}`;
  await page.locator(`${member('member_fathers_name')} input`).fill(`${person.given}ийн`);
  await page.locator(`${member('member_given_name')} input`).fill(person.child);
  await page.locator(`${member('member_dob')} input`).fill('2014-02-11');
  await page.locator(`${member('member_sex')} input[value="female"]`).check();
  await page.locator(`${member('member_relationship')} input[value="child"]`).check();
  await page.getByRole('button', { name: 'Next' }).click();
}

/**
 * Keeps in `errors` what must fail the test: uncaught page errors, and console errors matching
 * `fatal` (by default the CSP's refusals and a WebAssembly load failure; other console errors are
 * expected, such as the 401 of the first "who am I"). OUTPOST_E2E_DEBUG echoes the whole console.
 */
export function collectPageErrors(page: Page, errors: string[], fatal = /Content Security Policy|WebAssembly/i): void {
  page.on('pageerror', (error) => errors.push(error.message));
  if (process.env['OUTPOST_E2E_DEBUG']) page.on('console', (m) => console.log(m.type(), m.text()));
  page.on('console', (message) => {
    if (message.type() === 'error' && fatal.test(message.text())) errors.push(message.text());
  });
}

const registrationVersion = (
  JSON.parse(readFileSync(join(repoRoot, 'templates/form-versions.json'), 'utf8')) as Record<
    string,
    { version: string }
  >
)['mn_household_registration']?.version;
/**
 * A household registration of the Mongolian demo form, as a tablet sends it: household `i`, with a
 * canary family name ("Канарын") and register number a reader without names must never get.
 */
export function plantedRegistration(i: number): string {
  const id = `uuid:${randomUUID()}`;
  return `<data xmlns:jr="http://openrosa.org/javarosa" id="mn_household_registration" version="${registrationVersion}">
  <start>2026-03-01T09:00:00.000+08:00</start><end>2026-03-01T09:20:00.000+08:00</end><today>2026-03-01</today><username>fieldworker</username>
  <consent>yes</consent>
  <head><head_family_name>Канарын</head_family_name><head_fathers_name>Батын</head_fathers_name><head_given_name>Дашбоард${i}</head_given_name>
    <head_register_number>УК8503271${i}</head_register_number><head_dob>1985-03-27</head_dob><head_age>40</head_age><head_age_note/>
    <head_sex>male</head_sex><head_phone>9911223${i}</head_phone></head>
  <address><aimag>MN11</aimag><soum>MN1110</soum><bag>MN111051</bag><address_detail>12-р байр</address_detail><dwelling_type/>
    <location>47.9141 106.9322 1300 5</location></address>
  <household_size>3</household_size><children_count>1</children_count><elderly_count>0</elderly_count>
  <situation><vulnerability>single_parent</vulnerability><needs>food fuel</needs><monthly_income>350000</monthly_income><notes/></situation>
  <registration_date>2026-03-01</registration_date><case_status>open</case_status>
  <meta><instanceID>${id}</instanceID><instanceName>К. Дашбоард${i}</instanceName>
    <entity dataset="cases" id="${randomUUID()}" create="1"><label>К. Дашбоард${i}</label></entity></meta>
</data>`;
}

/** Posts a submission's XML as `api`'s user (201 expected). */
export async function submitXml(server: RunningServer, api: ApiSession, projectId: string, xml: string): Promise<void> {
  const res = await fetch(`${server.url}/api/v1/projects/${projectId}/submissions`, {
    method: 'POST',
    headers: { ...api.headers, 'content-type': 'application/xml' },
    body: xml,
  });
  expect(res.status, await res.text()).toBe(201);
}

/** A submission as the server stored it: its answers and the files linked to it. */
export interface StoredSubmission {
  instanceId: string;
  data: Record<string, unknown>;
  /** sha256 of each linked file, by file name. */
  files: Map<string, string>;
  /** sha256 of each linked file, by the question whose answer names it. */
  photos: Record<string, string>;
}

/** Every submission of a form in the server's SQLite file, oldest first (edits are versions of their own). */
export function storedSubmissions(server: RunningServer, xmlFormId: string): StoredSubmission[] {
  const db = new Database(join(server.dataDir, 'outpost.db'), { readonly: true, fileMustExist: true });
  try {
    const submissions = db
      .prepare(
        `select s.instance_id, s.data from submissions s join form_versions v on v.id = s.form_version_id
         join forms f on f.id = v.form_id where f.xml_form_id = ? order by s.seq`,
      )
      .all(xmlFormId) as { instance_id: string; data: string }[];
    const linked = db.prepare('select name, sha256 from attachments where instance_id = ?');
    return submissions.map((s) => {
      const data = JSON.parse(s.data) as Record<string, unknown>;
      const files = new Map(
        (linked.all(s.instance_id) as { name: string; sha256: string }[]).map((f) => [f.name, f.sha256]),
      );
      const photos: Record<string, string> = {};
      for (const [name, sha] of files) {
        const question = Object.entries(data).find(([, v]) => v === name)?.[0];
        if (question !== undefined) photos[question] = sha;
      }
      return { instanceId: s.instance_id, data, files, photos };
    });
  } finally {
    db.close();
  }
}
