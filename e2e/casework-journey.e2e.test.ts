import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { repoRoot, startServer, type RunningServer } from './server.js';
import { at, cliInServer, collectPageErrors, demoProject, signIn } from './steps.js';

// Issue 11, point 11, as one journey on a tablet: find a household by a Latin spelling of its
// Cyrillic name; filter the elderly of one khoroo who need heating; offline, put the case in a
// team folder, open it and record a visit; see the task list change; reconnect and sync; the
// supervisor sees the visit and the folder. Screenshots in e2e/.artifacts/casework-journey/
// (git-ignored).

const artifacts = join(repoRoot, 'e2e/.artifacts/casework-journey');
// A 10-inch tablet held in landscape.
const tablet = { width: 1024, height: 768 };
const dayMs = 86_400_000;
const isoDay = (offsetDays: number): string => new Date(Date.now() + offsetDays * dayMs).toISOString().slice(0, 10);
const label = 'Д. Бат-Эрдэнэ';

describe('case work on a tablet, offline and back (issue 11 point 11)', () => {
  let server: RunningServer;
  let browser: Browser;
  let caseId = '';
  const overdue = isoDay(-3);
  const planned = isoDay(21);
  const pageErrors: string[] = [];
  let shots = 0;

  const newContext = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport: tablet, locale: 'en-US' });
    const page = await context.newPage();
    collectPageErrors(page, pageErrors);
    return { context, page };
  };
  const shoot = async (page: Page, name: string): Promise<void> => {
    shots += 1;
    await page.screenshot({ path: join(artifacts, `${String(shots).padStart(2, '0')}-${name}.png`), fullPage: true });
  };
  const indicator = (page: Page) => page.locator('.sync-indicator');
  const rows = (page: Page) => page.locator('tr.case-row');
  const search = async (page: Page, text: string): Promise<void> => {
    await page.getByRole('searchbox', { name: 'Search cases' }).fill(text);
    await page.getByRole('searchbox', { name: 'Search cases' }).press('Enter');
  };
  async function openProject(page: Page, user: string): Promise<void> {
    await signIn(page, server, user);
    if (user === 'supervisor') {
      await page.getByRole('heading', { name: 'Set up two-step sign-in' }).waitFor();
      const secret = ((await page.locator('.enrolment__secret').textContent()) ?? '').replace(/\s/g, '');
      const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
      await page.getByLabel('6-digit code').fill(totp.generate());
      await page.getByRole('button', { name: 'Confirm' }).click();
    }
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    await expect.poll(() => indicator(page).textContent(), { timeout: 60_000 }).toMatch(/^Synced/);
    await page.getByRole('link', { name: new RegExp(demoProject) }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    await expect.poll(() => rows(page).count(), { timeout: 30_000 }).toBeGreaterThan(0);
  }

  beforeAll(async () => {
    await rm(artifacts, { recursive: true, force: true });
    await mkdir(artifacts, { recursive: true });
    server = await startServer({ demo: true, readyTimeoutMs: 170_000 });
    // Three households of khoroo 1 from the office's register: only Бат-Эрдэнэ is 60 or over and
    // needs heating; his next visit was due three days ago.
    const register = join(server.dataDir, 'register.csv');
    await writeFile(
      register,
      'label,head_given_name,head_fathers_name,head_dob,head_sex,aimag,soum,bag,needs,next_visit_date\n' +
        `${label},Бат-Эрдэнэ,Доржийн,1950-03-04,male,MN11,MN1110,MN111051,heating_winter food,${overdue}\n` +
        'Ц. Должин,Должин,Цэрэнгийн,1948-06-01,female,MN11,MN1110,MN111051,food,\n' +
        'Г. Тэмүүлэн,Тэмүүлэн,Ганбатын,1995-01-20,male,MN11,MN1110,MN111051,heating_winter,\n',
    );
    expect(
      await cliInServer(server, ['cases', 'import', '--project', 'bayanzurkh', '--list', 'cases', register]),
    ).toContain('3 new');
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('finds, filters, files and visits offline; after the sync the supervisor sees the visit and the folder', async () => {
    const { context, page } = await newContext();
    await openProject(page, 'fieldworker');
    await shoot(page, 'overview');

    // A Latin spelling of the Cyrillic name, as a phone keyboard writes it.
    await search(page, 'Bat-Erdene');
    const found = rows(page).filter({ hasText: label });
    await found.first().waitFor();
    caseId = (await found.first().getAttribute('data-case-id')) ?? '';
    expect(caseId).not.toBe('');
    expect(await found.first().locator('mark').count()).toBeGreaterThan(0);
    await shoot(page, 'latin-search');

    // Age 60 and over, in khoroo 1, needing heating.
    await search(page, 'age:60+ area:"Khoroo 1" needs:heating');
    await expect.poll(() => rows(page).locator('th').allTextContents()).toContain(label);
    const labels = await rows(page).locator('th').allTextContents();
    expect(labels).not.toContain('Ц. Должин');
    expect(labels).not.toContain('Г. Тэмүүлэн');
    for (const area of await rows(page).locator('td[data-label="Area"]').allTextContents())
      expect(area).toBe('Khoroo 1');
    await shoot(page, 'filtered');

    // The tasks before: his visit is overdue.
    await page.getByRole('link', { name: 'Tasks', exact: true }).click();
    await page.getByRole('heading', { name: 'Follow-up tasks' }).waitFor();
    await page.locator(`[data-group="overdue"] .task-line[data-case-id="${caseId}"]`).waitFor();
    await shoot(page, 'tasks-before');
    await page.goBack();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    await search(page, 'age:60+ area:"Khoroo 1" needs:heating');
    const chosen = page.locator(`tr.case-row[data-case-id="${caseId}"]`);
    await chosen.waitFor();

    // The network goes: a team folder, and the case in it.
    await context.setOffline(true);
    await expect.poll(() => indicator(page).textContent()).toMatch(/^Offline/);
    await page.getByLabel('New folder').fill('Winter heating');
    await page.getByLabel('Who sees it').selectOption('team');
    await page.getByRole('button', { name: 'Make folder' }).click();
    const chip = page.locator('.folder-chip', { hasText: 'Winter heating' });
    await chip.waitFor();
    await chosen.locator('.case-folders summary').click();
    await chosen.getByRole('checkbox', { name: /Winter heating/ }).check();
    await expect.poll(() => chip.textContent()).toContain('Team · 1');
    await shoot(page, 'folder-offline');

    // Still offline: the case page, and a visit recorded from it with the next visit planned.
    await chosen.getByRole('link', { name: label }).click();
    await page.getByRole('heading', { name: label, level: 1 }).waitFor();
    await shoot(page, 'case-page-offline');
    await page.locator('.case-page__actions a[href*="/forms/mn_visit/"]').click();
    const picker = at('/data/case_id');
    await page.locator(picker).waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator(`${picker} input[value="${caseId}"]`).isChecked()).toBe(true);
    await page.locator(`${at('/data/visit_type')} input[value="phone"]`).check();
    await page.locator(`${at('/data/contact_made')} input[value="yes"]`).check();
    await page.locator(`${at('/data/next_visit_date')} input`).fill(planned);
    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByText('Saved on this device. It will be sent when there is a connection.').waitFor();
    await shoot(page, 'visit-saved-offline');

    // The task list changed: the visit is no longer overdue, the next one is planned.
    await page.getByRole('link', { name: 'Tasks', exact: true }).click();
    await page.getByRole('heading', { name: 'Follow-up tasks' }).waitFor();
    const later = page.locator(`[data-group="later"] .task-line[data-case-id="${caseId}"]`);
    await later.waitFor();
    expect(await later.getAttribute('data-due')).toBe(planned);
    expect(await page.locator(`[data-group="overdue"] .task-line[data-case-id="${caseId}"]`).count()).toBe(0);
    await shoot(page, 'tasks-after-visit');

    // Back online: the visit and the folder change go with the next sync.
    await context.setOffline(false);
    await expect.poll(() => indicator(page).textContent(), { timeout: 90_000 }).toMatch(/^Synced/);
    // Folder changes are sent by the case list (its folder book), so she goes back to it.
    await page.getByRole('link', { name: 'Projects' }).click();
    await page.getByRole('link', { name: new RegExp(demoProject) }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    await expect.poll(() => page.getByText(/folder changes? waits? to be sent/).count(), { timeout: 60_000 }).toBe(0);
    await expect
      .poll(() => page.locator('.folder-chip', { hasText: 'Winter heating' }).textContent())
      .toContain('Team · 1');
    await shoot(page, 'synced');

    // The supervisor, on her own tablet: the team folder with the case, and the visit on its page.
    const supervisor = await newContext();
    const boss = supervisor.page;
    await openProject(boss, 'supervisor');
    const theirs = boss.locator('.folder-chip', { hasText: 'Winter heating' });
    await theirs.waitFor({ timeout: 30_000 });
    await expect.poll(() => theirs.textContent()).toContain('Team · 1');
    await theirs.click();
    await expect.poll(() => rows(boss).count()).toBe(1);
    expect(await rows(boss).first().getAttribute('data-case-id')).toBe(caseId);
    await shoot(boss, 'supervisor-folder');
    await rows(boss).first().getByRole('link', { name: label }).click();
    await boss.getByRole('heading', { name: label, level: 1 }).waitFor();
    const top = boss.locator('.case-timeline__item').first();
    await expect.poll(() => top.locator('strong').textContent(), { timeout: 30_000 }).toBe('Айлчлал, хяналт');
    expect(await top.getAttribute('data-state')).toBe('server');
    expect(await top.locator('.case-timeline__changes').textContent()).toContain(planned);
    expect(await boss.locator('.case-properties__row[data-property="next_visit_date"] dd').textContent()).toBe(planned);
    await shoot(boss, 'supervisor-visit');
    await supervisor.context.close();
    await context.close();
    expect(pageErrors).toEqual([]);
  }, 600_000);
});
