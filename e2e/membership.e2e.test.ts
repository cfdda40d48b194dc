import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer } from './server.js';
import { apiLogin, collectPageErrors, demoPassword, demoProject, demoProjectOf, signIn } from './steps.js';

const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];

describe('project membership: the administrator scopes a new field worker to one khoroo', () => {
  let server: RunningServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    collectPageErrors(page, pageErrors, /Content Security Policy/i);
    return page;
  };
  const shoot = async (page: Page, name: string): Promise<void> => {
    if (screenshots) await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
  };

  beforeAll(async () => {
    server = await startServer({ demo: true });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('adds a user, gives her khoroo 1, and she sees only khoroo 1’s households', async () => {
    const admin = await newPage();
    await signIn(admin, server, 'admin');
    await admin.getByRole('heading', { name: 'Set up two-step sign-in' }).waitFor();
    const secret = ((await admin.locator('.enrolment__secret').textContent()) ?? '').replace(/\s/g, '');
    const code = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate();
    await admin.getByLabel('6-digit code').fill(code);
    await admin.getByRole('button', { name: 'Confirm' }).click();
    await admin.getByRole('heading', { name: 'Your projects' }).waitFor();
    await admin.getByRole('link', { name: 'Administration' }).click();
    await admin.getByRole('heading', { name: 'Users' }).waitFor();

    // The demo's own field worker is already in each project, with her area.
    const demoRow = admin.locator('tr[data-username="fieldworker"]');
    await expect.poll(() => demoRow.textContent(), { timeout: 15_000 }).toContain('Khoroo 1');

    await admin.getByLabel('Username', { exact: true }).fill('saruul');
    await admin.getByLabel('Full name').fill('Saruul Dorj');
    await admin.getByLabel('Role').selectOption('fieldworker');
    await admin.getByLabel('First password').fill(demoPassword);
    await admin.getByRole('button', { name: 'Add user' }).click();
    const row = admin.locator('tr[data-username="saruul"]');
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Not in any project');

    await row.getByRole('button', { name: 'Add to a project' }).click();
    const panel = admin.getByRole('region', { name: 'Add Saruul Dorj to a project' });
    await panel.getByLabel('Project', { exact: true }).selectOption({ label: demoProject });
    await panel.getByLabel('Role in the project').selectOption('fieldworker');
    await panel.getByRole('radio', { name: 'Chosen areas' }).check();
    // Saving with no area chosen says what is missing, and saves nothing.
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.getByRole('alert').filter({ hasText: 'Choose at least one area.' }).waitFor();
    await panel.getByLabel('Find an area').fill('Khoroo 1');
    await panel.getByRole('checkbox', { name: 'Khoroo 1 Bayanzürkh', exact: true }).check();
    await expect.poll(() => panel.textContent()).toContain('Chosen: 1');
    await shoot(admin, 'membership-add');
    await panel.getByRole('button', { name: 'Save' }).click();
    await admin
      .getByRole('status')
      .filter({ hasText: `Saruul Dorj now works in ${demoProject}.` })
      .waitFor();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Field worker · Khoroo 1');
    expect(await row.textContent()).not.toContain('Not in any project');
    await shoot(admin, 'membership-users');
    // In Mongolian the role and the khoroo are Mongolian words: the area's own Mongolian name.
    await admin.getByLabel('Language').selectOption('mn');
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Нийгмийн ажилтан · 1-р хороо');
    await admin.getByRole('columnheader', { name: 'Төслүүд' }).waitFor();
    await admin.getByLabel('Хэл').selectOption('en');

    // She signs in on her own tablet and sees the project, and in it only khoroo 1.
    const worker = await newPage();
    await signIn(worker, server, 'saruul');
    await worker.getByRole('heading', { name: 'Your projects' }).waitFor();
    await worker.getByRole('link', { name: new RegExp(demoProject) }).click();
    await worker.getByRole('heading', { name: 'Cases' }).waitFor();
    const rows = worker.locator('tr.case-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const areas = await rows.locator('td[data-label="Area"]').allTextContents();
    expect(new Set(areas)).toEqual(new Set(['Khoroo 1']));
    await shoot(worker, 'membership-scoped-cases');

    // Exactly the cases of khoroo 1: as many as the demo field worker of khoroo 1 has.
    const reference = await apiLogin(server, 'fieldworker');
    const project = await demoProjectOf(reference);
    const expected = await reference.get<{ total: number }>(`/projects/${project.id}/cases?limit=1`);
    expect(await rows.count()).toBe(expected.total);

    // The administrator takes her out of the project: her next look finds nothing there.
    await row.getByRole('button', { name: 'Remove' }).click();
    const dialog = admin.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain(`Remove Saruul Dorj from ${demoProject}?`);
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Not in any project');
    const saruul = await apiLogin(server, 'saruul');
    const cases = await saruul.fetch(`/projects/${project.id}/cases`);
    expect(cases.status).toBe(404);
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
