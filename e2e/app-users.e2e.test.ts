import { deflateSync } from 'node:zlib';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { toString as qrSvg } from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { expectScreenInMongolian } from './screenText.js';
import { startServer, type RunningServer } from './server.js';
import { collectPageErrors, demoProject, signIn } from './steps.js';

// Issue 13: an administrator sets up an ODK Collect tablet from the web app. The QR code must hold
// the settings Collect reads (zlib-deflated Base64 JSON, the key in server_url), the key must
// open the project's form list, and revoking the app user must close it (403, as Central).

/** ODK Collect's QR settings for a server URL, as Collect's "Configure with QR code" reads them. */
function collectQrPayload(serverUrl: string, projectName: string): string {
  const settings = {
    general: { server_url: serverUrl, username: '', password: '' },
    admin: {},
    project: { name: projectName, icon: projectName.slice(0, 1).toUpperCase() },
  };
  return deflateSync(Buffer.from(JSON.stringify(settings), 'utf8')).toString('base64');
}

describe('app users for ODK Collect in the administration screens', () => {
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

  async function adminPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    collectPageErrors(page, pageErrors, /Content Security Policy/i);
    await signIn(page, server, 'admin');
    await page.getByRole('heading', { name: 'Set up two-step sign-in' }).waitFor();
    const secret = ((await page.locator('.enrolment__secret').textContent()) ?? '').replace(/\s/g, '');
    const code = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate();
    await page.getByLabel('6-digit code').fill(code);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    return page;
  }

  it('creates an app user for khoroo 1, shows the QR code Collect reads, and revokes it', async () => {
    const page = await adminPage();
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('link', { name: 'ODK Collect' }).click();
    await page.getByRole('heading', { name: 'Add an app user' }).waitFor();
    // A label around a select names it with the chosen option too: found by its name instead.
    const projectSelect = page.locator('select[name="project"]');
    const projectValue = await projectSelect.locator('option', { hasText: demoProject }).getAttribute('value');
    await projectSelect.selectOption(projectValue ?? '');
    await page.getByText('This project has no app users yet.').waitFor();

    await page.getByLabel('Name of the tablet or person').fill('Tablet 3');
    const areaSelect = page.locator('select[name="area"]');
    await expect.poll(() => areaSelect.locator('option').count(), { timeout: 15_000 }).toBeGreaterThan(1);
    const khoroo1 = await areaSelect
      .locator('option', { hasText: /Khoroo 1$/ })
      .first()
      .getAttribute('value');
    expect(khoroo1).toBeTruthy();
    await areaSelect.selectOption(khoroo1 ?? '');
    await page.getByRole('button', { name: 'Create app user' }).click();

    const key = page.getByRole('region', { name: 'Set up “Tablet 3” in ODK Collect' });
    await key.waitFor();
    const serverUrl = ((await key.locator('code').textContent()) ?? '').trim();
    expect(serverUrl).toMatch(new RegExp(`^${server.url}/v1/key/[A-Za-z0-9_-]+/projects/${projectValue}$`));
    // The QR code is exactly the code of Collect's settings for that URL.
    const src = await key.getByRole('img', { name: 'QR code to set up “Tablet 3” in ODK Collect' }).getAttribute('src');
    const svg = await qrSvg(collectQrPayload(serverUrl, demoProject), {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    expect(src).toBe(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);

    // The key opens the project's form list, as Collect's first request.
    const list = await fetch(`${serverUrl}/formList`);
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('<formID>');

    const row = page.locator('tr', { hasText: 'Tablet 3' });
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Khoroo 1');
    expect(await row.textContent()).toContain('Active');

    await page.getByLabel('Language').selectOption('mn');
    await expectScreenInMongolian(page, 'the ODK Collect app users screen', [
      serverUrl,
      'Tablet 3',
      demoProject,
      'Demo administrator',
    ]);
    await page.getByLabel('Хэл').selectOption('en');

    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('status').filter({ hasText: '“Tablet 3” was revoked.' }).waitFor();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Revoked');
    expect(await key.count()).toBe(0);
    expect((await fetch(`${serverUrl}/formList`)).status).toBe(403);
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
