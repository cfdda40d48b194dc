// A newcomer's first hour (issue 8), as one journey on a fresh demo server, in Chromium at the
// 1280×800 of a tablet: the administrator publishes a form and scopes a new field worker to one
// khoroo; she signs in on her tablet, registers a household and records a visit offline without
// touching "needs", and syncs; the supervisor sees the new status and the needs intact; the analyst
// sees no names; every screen is Mongolian in Mongolian mode. Screenshots of each step are kept in
// e2e/.artifacts/first-hour/ (git-ignored).
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRegisterNumber, templates } from '@outpost/templates';
import { launchBrowser } from './browser.js';
import { expectScreenInMongolian, notMongolian, visibleTexts } from './screenText.js';
import { repoRoot, startServer, type RunningServer } from './server.js';
import {
  at,
  collectPageErrors,
  demoPassword,
  demoProject,
  editedVisitForm,
  enrolAuthenticator,
  fillHousehold,
  signIn,
} from './steps.js';

const artifacts = join(repoRoot, 'e2e/.artifacts/first-hour');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const VISIT_VERSION = '2099010101';
const tablet = { width: 1280, height: 800 };
const household = {
  family: 'Боржигин',
  fathers: 'Доржийн',
  given: 'Ганзориг',
  register: formatRegisterNumber('УК', '1985-03-27', 'male', 17),
  dob: '1985-03-27',
  address: '7-р байр, 12 тоот',
  child: 'Номин',
};
/** How the case list names the household: the father's initial and the given name. */
const householdLabel = 'Д. Ганзориг';
const newWorker = { username: 'saruul', displayName: 'Saruul Dorj', device: 'Saruul’s tablet' };

describe('the first hour', () => {
  let server: RunningServer;
  let browser: Browser;
  const pageErrors: string[] = [];
  const shots: string[] = [];

  const newContext = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport: tablet, locale: 'en-US' });
    const page = await context.newPage();
    collectPageErrors(page, pageErrors);
    return { context, page };
  };
  const shoot = async (page: Page, name: string): Promise<void> => {
    const file = join(artifacts, `${String(shots.length + 1).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    shots.push(file);
  };
  /** Switches the app to Mongolian, checks every word on screen, takes its picture, and back. */
  const inMongolian = async (page: Page, where: string, heading: string, allow: readonly string[]): Promise<void> => {
    await page.getByLabel('Language').selectOption('mn');
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('mn');
    // Data the screen fetches again in the new language (area names) may take a moment to arrive.
    await expect
      .poll(async () => notMongolian(await visibleTexts(page), allow).length, { timeout: 15_000 })
      .toBe(0)
      .catch(() => undefined);
    await expectScreenInMongolian(page, where, allow);
    await shoot(page, `${where.replace(/\W+/g, '-')}-mn`);
    await page.getByLabel('Хэл').selectOption('en');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
  };
  const indicator = (page: Page) => page.locator('.sync-indicator');

  beforeAll(async () => {
    await rm(artifacts, { recursive: true, force: true });
    await mkdir(artifacts, { recursive: true });
    server = await startServer({ demo: true });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('goes from the administrator to the field worker, the supervisor and the analyst', async () => {
    // ── The administrator: first sign-in enrols an authenticator. ──
    const { page: admin } = await newContext();
    await signIn(admin, server, 'admin');
    await enrolAuthenticator(admin);
    await shoot(admin, 'admin-projects');

    // Publishes a new version of the visit form through Administration → Forms.
    await admin.getByRole('link', { name: 'Administration' }).click();
    await admin.getByRole('link', { name: 'Forms' }).click();
    await admin.getByRole('heading', { name: 'Publish a form' }).waitFor();
    await admin.getByRole('combobox', { name: /^Project/ }).selectOption({ label: demoProject });
    const visitRow = admin.locator('tr[data-form-id="mn_visit"]');
    await expect.poll(() => visitRow.locator('td').nth(1).textContent()).toBe('1');
    const edited = await editedVisitForm(VISIT_VERSION, false);
    await admin
      .getByLabel('XLSForm workbook (.xlsx)')
      .setInputFiles({ name: 'visit.xlsx', mimeType: XLSX, buffer: edited.bytes });
    await admin.locator('[data-diff="added"] li').filter({ hasText: 'Water source' }).waitFor();
    await shoot(admin, 'admin-form-diff');
    // What the author wrote is shown as written: form ids, question names, the file, the English
    // labels the change is about and the form's name for that language.
    const formIds = await admin
      .locator('tr[data-form-id]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-form-id') ?? ''));
    const authored = ['visit.xlsx', 'water_source', 'observations', 'English', 'Observations and actions taken'];
    await inMongolian(admin, 'forms screen', 'Удирдлага', [
      demoProject,
      'Demo administrator',
      ...formIds,
      ...authored,
      'What you saw and did',
    ]);
    await admin.getByRole('button', { name: `Publish version ${VISIT_VERSION}` }).click();
    await admin
      .getByRole('status')
      .filter({ hasText: `version ${VISIT_VERSION}, is published` })
      .waitFor();
    await expect.poll(() => visitRow.textContent()).toContain(VISIT_VERSION);

    // Adds the new field worker and scopes her to khoroo 1 in Users → Projects.
    await admin.getByRole('link', { name: 'Users' }).click();
    await admin.getByRole('heading', { name: 'Users' }).waitFor();
    await admin.getByLabel('Username', { exact: true }).fill(newWorker.username);
    await admin.getByLabel('Full name').fill(newWorker.displayName);
    await admin.getByLabel('Role').selectOption('fieldworker');
    await admin.getByLabel('First password').fill(demoPassword);
    await admin.getByRole('button', { name: 'Add user' }).click();
    const row = admin.locator(`tr[data-username="${newWorker.username}"]`);
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Not in any project');
    await row.getByRole('button', { name: 'Add to a project' }).click();
    const panel = admin.getByRole('region', { name: `Add ${newWorker.displayName} to a project` });
    await panel.getByLabel('Project', { exact: true }).selectOption({ label: demoProject });
    await panel.getByLabel('Role in the project').selectOption('fieldworker');
    await panel.getByRole('radio', { name: 'Chosen areas' }).check();
    await panel.getByLabel('Find an area').fill('Khoroo 1');
    await panel.getByRole('checkbox', { name: 'Khoroo 1 Bayanzürkh', exact: true }).check();
    await shoot(admin, 'admin-membership');
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Field worker · Khoroo 1');
    // Names of people, projects and the PNG areas (which have no Mongolian name) are data.
    const userData = await admin.locator('.admin-table__name, .admin-table__sub').allTextContents();
    const projectsOfUsers = await admin.locator('.user-projects__project').allTextContents();
    const areasWithoutMongolian = Object.values(templates)
      .flatMap((t) => t.areas)
      .filter((a) => a.name.mn === undefined)
      .map((a) => a.name.en ?? '');
    await inMongolian(admin, 'users screen', 'Удирдлага', [
      ...userData,
      ...projectsOfUsers,
      ...areasWithoutMongolian,
      'Demo administrator',
    ]);

    // ── The new field worker, on her tablet: names it at sign-in. ──
    const { context: tabletContext, page: worker } = await newContext();
    await worker.goto(server.url);
    await worker.getByLabel('Username').fill(newWorker.username);
    await worker.getByLabel('Password').fill(demoPassword);
    const deviceName = worker.getByLabel('Name of this device');
    expect(await deviceName.inputValue()).toBe(`Tablet of ${newWorker.username}`);
    await deviceName.fill(newWorker.device);
    await shoot(worker, 'worker-sign-in');
    await worker.getByRole('button', { name: 'Sign in', exact: true }).click();
    await worker.getByRole('heading', { name: 'Your projects' }).waitFor();
    await expect.poll(() => indicator(worker).textContent(), { timeout: 30_000 }).toMatch(/^Synced/);
    const devices = await worker.context().request.get(`${server.url}/api/v1/devices`);
    expect(((await devices.json()) as { items: { name: string }[] }).items.map((d) => d.name)).toEqual([
      newWorker.device,
    ]);

    // Her project shows only khoroo 1.
    await worker.getByRole('link', { name: new RegExp(demoProject) }).click();
    await worker.getByRole('heading', { name: 'Cases' }).waitFor();
    const rows = worker.locator('tr.case-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    expect(new Set(await rows.locator('td[data-label="Area"]').allTextContents())).toEqual(new Set(['Khoroo 1']));
    await shoot(worker, 'worker-cases');

    // Offline: registers a household with its needs.
    await tabletContext.setOffline(true);
    await expect.poll(() => indicator(worker).textContent()).toMatch(/^Offline/);
    await worker.getByRole('link', { name: 'Fill a form' }).click();
    await worker.getByRole('heading', { name: 'Forms' }).waitFor();
    await worker.getByRole('link', { name: /^New: .*Өрхийн бүртгэл|^New: Household registration/ }).click();
    await worker.locator(at('/data/consent')).waitFor({ timeout: 30_000 });
    await fillHousehold(worker, household, 'situation');
    await worker.locator(`${at('/data/situation/needs')} input[value="food"]`).check();
    await worker.locator(`${at('/data/situation/needs')} input[value="heating_winter"]`).check();
    await shoot(worker, 'worker-registration-needs');
    await worker.getByRole('button', { name: 'Finalize' }).click();
    await worker.getByText('Saved on this device. It will be sent when there is a connection.').waitFor();
    const mine = worker.locator('[data-device-case-id]', { hasText: householdLabel });
    await expect.poll(() => mine.getAttribute('data-sync-state')).toBe('pending');
    const caseId = ((await mine.getAttribute('data-device-case-id')) ?? '').replace(/^uuid:/i, '').toLowerCase();
    expect(caseId).not.toBe('');

    // Still offline: a visit to that household, "needs" never touched, the status moved on.
    await worker.getByRole('link', { name: 'Fill a form' }).click();
    await worker.locator('[data-form-id="mn_visit"] a').click();
    const picker = at('/data/case_id');
    await worker.locator(picker).waitFor({ timeout: 30_000 });
    await worker.locator(picker).getByRole('searchbox', { name: 'Filter the choices' }).fill(household.given);
    await worker.locator(`${picker} input[value="${caseId}"]`).check();
    await worker.locator(`${at('/data/visit_type')} input[value="phone"]`).check();
    await worker.locator(`${at('/data/contact_made')} input[value="yes"]`).check();
    // The visit starts from the case: the needs registered a moment ago are already chosen.
    await expect.poll(() => worker.locator(`${at('/data/needs')} input[value="food"]`).isChecked()).toBe(true);
    await worker.locator(`${at('/data/case_status')} input[value="in_progress"]`).check();
    await shoot(worker, 'worker-visit');
    await worker.getByRole('button', { name: 'Finalize' }).click();
    await worker.getByText('Saved on this device. It will be sent when there is a connection.').waitFor();
    await expect.poll(() => indicator(worker).textContent()).toBe('Offline · 2 waiting');
    await shoot(worker, 'worker-offline-waiting');

    // Back online: both are sent, and the server lists the household in progress.
    await tabletContext.setOffline(false);
    await expect.poll(() => indicator(worker).textContent(), { timeout: 60_000 }).toMatch(/^Synced/);
    await worker.getByLabel('Search cases').fill(household.given);
    const sent = worker.locator(`tr.case-row[data-case-id="${caseId}"]`);
    await expect
      .poll(() => sent.locator('td[data-label="Status"]').textContent(), { timeout: 30_000 })
      .toBe('In progress');
    expect(await sent.locator('td[data-label="Area"]').textContent()).toBe('Khoroo 1');
    await shoot(worker, 'worker-synced');
    await inMongolian(worker, 'field worker cases', 'Кейсүүд', [demoProject, newWorker.displayName]);

    // ── The supervisor: the status changed, the needs intact. ──
    const { page: boss } = await newContext();
    await signIn(boss, server, 'supervisor');
    await enrolAuthenticator(boss);
    await boss.getByRole('link', { name: new RegExp(demoProject) }).click();
    await boss.getByRole('heading', { name: 'Cases' }).waitFor();
    await boss.getByLabel('Search cases').fill(household.given);
    const bossRow = boss.locator(`tr.case-row[data-case-id="${caseId}"]`);
    await expect
      .poll(() => bossRow.locator('td[data-label="Status"]').textContent(), { timeout: 30_000 })
      .toBe('In progress');
    expect(await bossRow.locator('th').textContent()).toContain(householdLabel);
    const seen = await boss
      .context()
      .request.get(`${server.url}/api/v1/projects/${await projectIdOf(boss)}/cases/${caseId}`);
    expect(seen.status()).toBe(200);
    const properties = ((await seen.json()) as { properties: Record<string, string> }).properties;
    expect(properties['needs']?.split(' ').sort()).toEqual(['food', 'heating_winter']);
    expect(properties['case_status']).toBe('in_progress');
    await shoot(boss, 'supervisor-cases');
    await inMongolian(boss, 'supervisor cases', 'Кейсүүд', [demoProject, 'Ganbold Tsetseg (supervisor)']);

    // ── The analyst: the same cases, no names. ──
    const { page: analyst } = await newContext();
    await signIn(analyst, server, 'analyst');
    await analyst.getByRole('heading', { name: 'Your projects' }).waitFor();
    await analyst.getByRole('link', { name: new RegExp(demoProject) }).click();
    await analyst.getByRole('heading', { name: 'Cases' }).waitFor();
    const analystRows = analyst.locator('tr.case-row');
    await expect.poll(() => analystRows.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    const labels = await analystRows.locator('th').allTextContents();
    expect(new Set(labels)).toEqual(new Set(['Name hidden for your role']));
    expect(await analyst.locator('main').textContent()).not.toContain(household.given);
    await shoot(analyst, 'analyst-cases');
    await inMongolian(analyst, 'analyst cases', 'Кейсүүд', [demoProject, 'Demo analyst']);

    // Every step left its picture.
    for (const file of shots) expect((await stat(file)).size, file).toBeGreaterThan(10_000);
    expect(shots.length).toBeGreaterThanOrEqual(14);
    expect(pageErrors).toEqual([]);
  }, 600_000);
});

/** The project id of the page's current URL (`/projects/<id>/…`). */
async function projectIdOf(page: Page): Promise<string> {
  const match = /\/projects\/([0-9a-f-]{36})/.exec(page.url());
  if (match?.[1] === undefined) throw new Error(`no project in ${page.url()}`);
  return match[1];
}
