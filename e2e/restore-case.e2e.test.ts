import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer } from './server.js';
import { apiLogin, collectPageErrors, demoProject, demoProjectOf, signIn } from './steps.js';

// A supervisor deletes a case on its page, finds it under "Deleted cases" on the case list and
// restores it (issue 10 point 5): the case leaves the list and comes back to it after the sync.

const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];

describe('a supervisor deletes a case and restores it from the case list', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let caseId = '';
  let label = '';
  const pageErrors: string[] = [];
  const shot = async (name: string) => {
    if (screenshots) await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
  };
  const rowLink = () => page.locator(`tr.case-row a[href$="/cases/${caseId}"]`);
  const search = async (text: string) => {
    await page.getByRole('searchbox', { name: 'Search cases' }).fill(text);
    await page.getByRole('searchbox', { name: 'Search cases' }).press('Enter');
  };

  beforeAll(async () => {
    server = await startServer({ demo: true, readyTimeoutMs: 180_000 });
    const api = await apiLogin(server);
    const project = await demoProjectOf(api);
    const cases = await api.get<{ items: { id: string; label: string }[] }>(
      `/projects/${project.id}/cases?list=cases&limit=50`,
    );
    // A case whose name no other case contains, so a search finds it alone.
    const alone = cases.items.find((c) => cases.items.filter((o) => o.label.includes(c.label)).length === 1);
    if (alone === undefined) throw new Error('no case with a distinct name in the demo');
    caseId = alone.id;
    label = alone.label;
    browser = await launchBrowser();

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page = await context.newPage();
    collectPageErrors(page, pageErrors);
    await signIn(page, server, 'supervisor');
    await page.getByRole('heading', { name: 'Set up two-step sign-in' }).waitFor();
    const secret = ((await page.locator('.enrolment__secret').textContent()) ?? '').replace(/\s/g, '');
    const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
    await page.getByLabel('6-digit code').fill(totp.generate());
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    await page
      .locator('.sync-indicator')
      .filter({ hasText: /^Synced/ })
      .waitFor({ timeout: 90_000 });
    await page.getByRole('link', { name: new RegExp(demoProject) }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('deletes the case on its page: it leaves the case list', async () => {
    await search(label);
    await rowLink().first().click({ timeout: 30_000 });
    await page.getByRole('heading', { name: label, level: 1 }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Delete case' }).click();
    await page.getByRole('button', { name: 'Delete it for everyone' }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor({ timeout: 30_000 });
    await search(label);
    // The sync the delete started drops it from the device.
    await expect.poll(() => rowLink().count(), { timeout: 60_000 }).toBe(0);
    await shot('case-deleted');
  });

  it('finds the case under deleted cases, restores it, and it is back in the list', async () => {
    await page.locator('.deleted-cases summary', { hasText: 'Deleted cases' }).click();
    const item = page.locator(`.deleted-cases__item[data-case-id="${caseId}"]`);
    await item.waitFor({ timeout: 30_000 });
    expect(await item.locator('strong').textContent()).toBe(label);
    expect(await item.locator('time').textContent()).toMatch(/^Deleted /);
    await shot('deleted-cases');

    await item.getByRole('button', { name: 'Restore' }).click();
    await item.getByRole('button', { name: 'Restore it for everyone' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${label} is restored` })
      .waitFor({ timeout: 30_000 });
    // It leaves the deleted cases and comes back to the list at the sync the restore started.
    await expect.poll(() => item.count(), { timeout: 30_000 }).toBe(0);
    await search(label);
    await expect.poll(() => rowLink().count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await shot('case-restored');
    expect(pageErrors).toEqual([]);
  });
});
