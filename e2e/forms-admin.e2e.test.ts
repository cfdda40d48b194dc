import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { repoRoot, startServer, type RunningServer } from './server.js';
import {
  apiLogin,
  collectPageErrors,
  demoProject,
  demoProjectOf,
  editedVisitForm,
  enrolAuthenticator,
  signIn,
} from './steps.js';

const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];
const NEW_VERSION = '2099010101';
/** The demo's published visit form, as templates/form-versions.json records it. */
const PUBLISHED = (
  JSON.parse(await readFile(join(repoRoot, 'templates/form-versions.json'), 'utf8')) as Record<
    string,
    { version: string }
  >
)['mn_visit']?.version;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('an administrator publishes a form in the web app', () => {
  let server: RunningServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer({ demo: true });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const shoot = async (page: Page, name: string): Promise<void> => {
    if (screenshots) await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
  };

  it('the demo starts with every template form published', async () => {
    const api = await apiLogin(server);
    const project = await demoProjectOf(api);
    const forms = await api.get<{ items: Array<{ formId: string }> }>(`/projects/${project.id}/forms`);
    expect(forms.items.map((f) => f.formId).sort()).toEqual([
      'mn_assessment',
      'mn_closure',
      'mn_household_registration',
      'mn_referral',
      'mn_visit',
    ]);
  });

  it('shows an error with its row, then the differences of the fixed workbook, publishes and lists it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    collectPageErrors(page, pageErrors, /Content Security Policy/i);
    await signIn(page, server, 'admin');

    // First sign-in of an administrator: enrol an authenticator.
    await enrolAuthenticator(page);

    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('link', { name: 'Forms' }).click();
    await page.getByRole('heading', { name: 'Publish a form' }).waitFor();
    await page.getByRole('combobox', { name: /^Project/ }).selectOption({ label: demoProject });
    const visitRow = page.locator('tr[data-form-id="mn_visit"]');
    await expect.poll(() => visitRow.textContent()).toContain(PUBLISHED);

    // A misspelt question type: refused with its sheet, row and column; nothing stored.
    const file = page.getByLabel('XLSForm workbook (.xlsx)');
    const broken = await editedVisitForm(NEW_VERSION, true);
    await file.setInputFiles({ name: 'visit.xlsx', mimeType: XLSX, buffer: broken.bytes });
    await page.getByRole('alert').filter({ hasText: 'This workbook cannot be published.' }).waitFor();
    const errorRow = page.locator('.form-issues--error tbody tr').filter({ hasText: 'txet' });
    await expect.poll(() => errorRow.count()).toBeGreaterThan(0);
    const cells = await errorRow.first().locator('td').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['survey', String(broken.row), expect.stringContaining('type')]);
    await shoot(page, 'forms-admin-error');
    expect(await visitRow.locator('td').nth(1).textContent()).toBe('1');

    // The corrected workbook: what changes against the published version, before publishing.
    const fixed = await editedVisitForm(NEW_VERSION, false);
    await file.setInputFiles({ name: 'visit.xlsx', mimeType: XLSX, buffer: fixed.bytes });
    await page.getByText(`Differences from the published version ${PUBLISHED}:`).waitFor();
    const added = page.locator('[data-diff="added"]');
    expect(await added.locator('h4').textContent()).toBe('Added questions: 1');
    expect(await added.locator('li').allTextContents()).toEqual([expect.stringContaining('Water source')]);
    const changed = page.locator('[data-diff="changed"] li[data-question="observations"]');
    expect(await changed.textContent()).toContain('Label (English)');
    expect(await changed.textContent()).toContain('Observations and actions taken → What you saw and did');
    expect(await page.locator('[data-diff="removed"]').count()).toBe(0);
    await shoot(page, 'forms-admin-diff');

    // The same screen in Mongolian: the catalog's words and the form's Mongolian labels.
    await page.getByLabel('Language').selectOption('mn');
    await page.getByText(`Нийтлэгдсэн ${PUBLISHED} хувилбараас ялгаатай нь:`).waitFor();
    expect(await added.locator('h4').textContent()).toBe('Нэмэгдсэн асуулт: 1');
    expect(await added.locator('li').allTextContents()).toEqual([expect.stringContaining('Усны эх үүсвэр')]);
    expect(await changed.textContent()).toContain('Асуултын текст (English)');
    expect(await page.locator('.forms-admin__file').textContent()).toContain('Хүснэгт сонгох…');
    await shoot(page, 'forms-admin-diff-mn');
    // Nothing runs off the 1280-pixel tablet screen, in the longer Mongolian words either.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await page.getByLabel('Хэл').selectOption('en');

    await page.getByRole('button', { name: `Publish version ${NEW_VERSION}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `version ${NEW_VERSION}, is published` })
      .waitFor();
    await expect.poll(() => visitRow.textContent()).toContain(NEW_VERSION);
    expect(await visitRow.locator('td').nth(1).textContent()).toBe('2');

    // Its versions, and the workbook back exactly as uploaded.
    await visitRow.getByRole('button', { name: 'Show versions' }).click();
    const versions = page.locator('.form-versions tbody tr');
    await expect
      .poll(() => versions.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-version'))))
      .toEqual([NEW_VERSION, PUBLISHED]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator(`tr[data-version="${NEW_VERSION}"]`).getByRole('link', { name: 'Download XLSForm' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`mn_visit-${NEW_VERSION}.xlsx`);
    const saved = await download.path();
    expect((await readFile(saved)).equals(fixed.bytes)).toBe(true);
    await shoot(page, 'forms-admin-versions');

    // The field worker's "Fill a form" offers the new version.
    const api = await apiLogin(server);
    const project = await demoProjectOf(api);
    const forms = await api.get<{ items: Array<{ formId: string; latestVersion: { version: string } }> }>(
      `/projects/${project.id}/forms`,
    );
    expect(forms.items.find((f) => f.formId === 'mn_visit')?.latestVersion.version).toBe(NEW_VERSION);

    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
