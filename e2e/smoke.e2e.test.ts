import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer } from './server.js';

const demoPassword = 'outpost-demo-2026';
const demoProject = 'Bayanzürkh social protection';

describe('smoke: a field worker signs in and finds the caseload', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer({ demo: true });
    browser = await launchBrowser();
    // A tablet in landscape, the layout the app is designed for first.
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // The strict CSP reports inline scripts and style attributes as console errors: fail on them.
    // (Other console errors are expected, e.g. the 401 of the first "who am I" request.)
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
        pageErrors.push(message.text());
      }
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs in, picks the project, lists cases, switches to Mongolian and signs out', async () => {
    await page.goto(server.url);

    // An anonymous visit lands on the sign-in form.
    await page.getByLabel('Username').fill('fieldworker');
    await page.getByLabel('Password').fill(demoPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Project picker.
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    await page.getByRole('link', { name: new RegExp(demoProject) }).click();

    // Case list from the server.
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(0);
    const firstLabel = (await page.locator('tbody tr th').first().textContent())?.trim() ?? '';
    expect(firstLabel).not.toBe('');
    await expect.poll(() => page.locator('header').textContent()).toContain(demoProject);

    // Search narrows the list to the case we typed, through the server's q.
    await page.getByRole('searchbox').fill(firstLabel);
    await expect.poll(() => page.locator('tbody tr th').allTextContents()).toContain(firstLabel);

    if (process.env['OUTPOST_E2E_SCREENSHOTS']) {
      await page.screenshot({ path: `${process.env['OUTPOST_E2E_SCREENSHOTS']}/cases-en.png`, fullPage: true });
    }

    // Mongolian UI, remembered for the document language too.
    await page.getByLabel('Language').selectOption('mn');
    await page.getByRole('heading', { name: 'Кейсүүд' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('mn');
    await page.getByRole('button', { name: 'Гарах' }).waitFor();

    if (process.env['OUTPOST_E2E_SCREENSHOTS']) {
      await page.screenshot({ path: `${process.env['OUTPOST_E2E_SCREENSHOTS']}/cases-mn.png`, fullPage: true });
    }

    // The service worker installed, which means every file of the shell it precaches was served.
    // (`ready` never settles when registration failed, hence the race.)
    const worker = await page.evaluate(() =>
      Promise.race([
        navigator.serviceWorker.ready.then((registration) => registration.active?.scriptURL ?? ''),
        new Promise<string>((resolve) => setTimeout(() => resolve('not ready after 20 s'), 20_000)),
      ]),
    );
    expect(worker).toBe(`${server.url}/sw.js`);

    // Sign out: back on the sign-in form, still in Mongolian, and the cases are no longer reachable.
    await page.getByRole('button', { name: 'Гарах' }).click();
    await page.getByRole('heading', { name: 'Нэвтрэх' }).waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
    expect(me).toBe(401);

    // With no network the shell still opens from the worker's cache.
    await page.context().setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: 'Нэвтрэх' }).waitFor();
    await page.context().setOffline(false);

    expect(pageErrors).toEqual([]);
  });
});
