import { formatRegisterNumber } from '@outpost/templates';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer } from './server.js';
import { apiLogin, at, collectPageErrors, demoProject, demoProjectOf, fillHousehold, signIn } from './steps.js';

const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];

// Issue 12: on the tablet, offline, a registration that looks like a household head already on
// the device is warned about before it is saved, with at most five cases to open or to save anyway.

describe('a field worker registers a household that is already on the tablet', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startServer({ demo: true });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page = await context.newPage();
    collectPageErrors(page, errors);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('is warned offline with the existing case, and may still save', async () => {
    // A household of the field worker's caseload, as the server has it.
    const api = await apiLogin(server, 'fieldworker');
    const project = await demoProjectOf(api);
    const listed = await api.get<{ items: { id: string; label: string }[] }>(
      `/projects/${project.id}/cases?limit=20&offset=0`,
    );
    let existing: { id: string; label: string; properties: Record<string, string> } | undefined;
    for (const item of listed.items) {
      const one = await api.get<{ id: string; label: string; properties: Record<string, string> }>(
        `/projects/${project.id}/cases/${item.id}`,
      );
      if (one.properties['head_given_name'] && one.properties['head_dob'] && one.properties['head_fathers_name']) {
        existing = one;
        break;
      }
    }
    if (existing === undefined) throw new Error('no demo household with names and a date of birth');
    const p = existing.properties;

    await signIn(page, server, 'fieldworker');
    await page.getByRole('link', { name: new RegExp(demoProject) }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    // The device holds it (the list is read from the device's own store).
    await page.getByLabel('Search cases').fill(p['head_given_name'] ?? '');
    await expect
      .poll(() => page.locator(`tr.case-row[data-case-id="${existing.id}"]`).count(), { timeout: 60_000 })
      .toBe(1);

    // The form opened while online (the device keeps the forms it is given in the background,
    // which on a loaded machine may still be running when the cases are in); then offline, the same
    // person again, with another register number.
    await page.getByRole('link', { name: 'Fill a form' }).click();
    await page.getByRole('link', { name: /^New: .*Өрхийн бүртгэл|^New: Household registration/ }).click();
    await page.locator(at('/data/consent')).waitFor({ timeout: 30_000 });
    await page.context().setOffline(true);
    await fillHousehold(
      page,
      {
        family: p['head_family_name'] ?? '',
        fathers: p['head_fathers_name'] ?? '',
        given: p['head_given_name'] ?? '',
        register: formatRegisterNumber('ЧБ', p['head_dob'] ?? '', 'male', 71),
        dob: p['head_dob'] ?? '',
        address: '3-р байр',
        child: 'Сарнай',
      },
      'situation',
    );
    await page.locator(`${at('/data/situation/needs')} input[value="food"]`).check();
    await page.getByRole('button', { name: 'Finalize' }).click();

    const warning = page.getByRole('alertdialog', { name: 'This household may already be registered' });
    await warning.waitFor({ timeout: 30_000 });
    const suggestions = warning.locator('li');
    expect(await suggestions.count()).toBeGreaterThan(0);
    expect(await suggestions.count()).toBeLessThanOrEqual(5);
    const match = warning.locator(`li[data-case-id="${existing.id}"]`);
    expect(await match.textContent()).toContain(existing.label);
    expect(await match.textContent()).toContain('date of birth: the same');
    if (screenshots) await page.screenshot({ path: `${screenshots}/duplicate-warning.png`, fullPage: true });

    // Saving anyway keeps it on the device, to be sent when there is a connection.
    await warning.getByRole('button', { name: 'Save anyway' }).click();
    await page.getByText('Saved on this device. It will be sent when there is a connection.').waitFor();
    expect(errors).toEqual([]);
  });
});
