import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer } from './server.js';
import { apiLogin, collectPageErrors, demoProject, demoProjectOf, signIn, unlock } from './steps.js';

const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];

// The demo seed gives each demo project templates/basemaps/demo.pmtiles; the case page's small map
// draws it, and after the first load it keeps drawing it with the network cut.
describe('the offline basemap on a case page', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let caseUrl = '';
  const pageErrors: string[] = [];
  const basemapRequests: string[] = [];
  const canvas = () => page.locator('.geo-map__canvas[data-basemap-features]');

  beforeAll(async () => {
    server = await startServer({ demo: true });
    const api = await apiLogin(server);
    const project = await demoProjectOf(api);
    const first = (await api.get<{ items: { id: string }[] }>(`/projects/${project.id}/cases?list=cases&limit=1`))
      .items[0];
    if (first === undefined) throw new Error('the field worker has no case');
    caseUrl = `${server.url}/projects/${project.id}/cases/${first.id}`;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page = await context.newPage();
    collectPageErrors(page, pageErrors);
    page.on('request', (request) => {
      if (request.url().includes('/basemap.pmtiles')) basemapRequests.push(request.url());
    });
    await signIn(page, server);
    await page.getByRole('link', { name: new RegExp(demoProject) }).waitFor({ timeout: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('draws the project basemap on the case page and keeps the file on the device', async () => {
    // A full page load: the device's sealed store asks for the password again.
    await page.goto(caseUrl);
    await unlock(page);
    await canvas().waitFor({ timeout: 60_000 });
    const shapes = Number(await canvas().getAttribute('data-basemap-features'));
    expect(shapes).toBeGreaterThan(0);
    const kept = await page.evaluate(async () => {
      const cache = await caches.open('outpost-basemaps');
      return (await cache.keys()).map((request) => request.url);
    });
    expect(kept.some((url) => url.endsWith('/basemap.pmtiles'))).toBe(true);
    if (screenshots) await page.screenshot({ path: `${screenshots}/basemap-online.png` });
  }, 120_000);

  it('draws it again after a reload with the network cut, from the kept copy', async () => {
    await context.setOffline(true);
    basemapRequests.length = 0;
    await page.reload();
    await unlock(page);
    await canvas().waitFor({ timeout: 60_000 });
    expect(Number(await canvas().getAttribute('data-basemap-features'))).toBeGreaterThan(0);
    // Every tile came from the device: nothing reached (or tried to reach) the server's file.
    expect(basemapRequests).toEqual([]);
    if (screenshots) await page.screenshot({ path: `${screenshots}/basemap-offline.png` });
    await context.setOffline(false);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
