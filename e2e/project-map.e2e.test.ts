import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer } from './server.js';
import { expectScreenInMongolian } from './screenText.js';
import { apiLogin, collectPageErrors, demoProject, demoProjectOf, signIn, unlock } from './steps.js';

// The project map (issue 11 point 6): the field worker's cases as points on the offline basemap,
// searched with the case list's query language, the same with the network cut; a tap on a point
// opens its case. In Mongolian, every word of the map is Mongolian: MapLibre's buttons (their
// accessible names and tooltips), the scale and the basemap's attribution too.

const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];
const tablet = { width: 1024, height: 768 };

describe('the project map on a tablet', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let projectId = '';
  let first: { id: string; label: string } | undefined;
  const pageErrors: string[] = [];
  const canvas = () => page.locator('.cluster-map .geo-map__canvas[data-map-ready]');
  const points = async () => Number(await canvas().getAttribute('data-points'));

  beforeAll(async () => {
    server = await startServer({ demo: true, readyTimeoutMs: 170_000 });
    const api = await apiLogin(server);
    projectId = (await demoProjectOf(api)).id;
    first = (
      await api.get<{ items: { id: string; label: string }[] }>(`/projects/${projectId}/cases?list=cases&limit=1`)
    ).items[0];
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: tablet, locale: 'en-US' });
    page = await context.newPage();
    collectPageErrors(page, pageErrors);
    await signIn(page, server);
    await page.getByRole('link', { name: new RegExp(demoProject) }).waitFor({ timeout: 60_000 });
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('shows the cases of the device as points, and a search narrows them', async () => {
    await page.goto(`${server.url}/projects/${projectId}/map`);
    await unlock(page);
    await canvas().waitFor({ timeout: 90_000 });
    await expect.poll(points, { timeout: 30_000 }).toBeGreaterThan(0);
    const all = await points();
    const summary = page.locator('.project-map__count');
    expect(await summary.textContent()).toMatch(new RegExp(`^${all} on the map`));
    expect(await page.getByRole('button', { name: /^Cases \(\d+\)$/ }).getAttribute('aria-pressed')).toBe('true');
    if (screenshots) await page.screenshot({ path: `${screenshots}/project-map.png` });

    // One household by its name: the others leave the map.
    const query = first?.label ?? '';
    expect(query).not.toBe('');

    await page.getByRole('searchbox').fill(query);
    await expect.poll(points, { timeout: 30_000 }).toBeLessThan(all);
    expect(await points()).toBeGreaterThan(0);
    // The query travels to the list and back.
    expect(new URL(page.url()).searchParams.get('q')).toBe(query);
    await page.getByRole('link', { name: 'Back to the list' }).click();
    await expect.poll(() => page.getByRole('searchbox').inputValue()).toBe(query);
    await page.getByRole('link', { name: 'Map', exact: true }).click();
    await canvas().waitFor({ timeout: 60_000 });
    await expect.poll(points, { timeout: 30_000 }).toBeLessThan(all);
  }, 240_000);

  it('says everything on the map in Mongolian, its own buttons and the basemap attribution too', async () => {
    await page.getByLabel('Language').selectOption('mn');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('mn');
    // The map is made again in the new language.
    await canvas().waitFor({ timeout: 90_000 });
    await page.locator('.maplibregl-ctrl-scale').waitFor();
    await page.locator('.maplibregl-ctrl-attrib-inner').filter({ hasText: /\S/ }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.maplibregl-ctrl-attrib-inner').textContent()).toBe(
      'Суурь зураг: ямар ч зорилгоор чөлөөтэй ашиглана (CC0-1.0)',
    );
    expect(await page.locator('.maplibregl-ctrl-zoom-in').getAttribute('aria-label')).toBe('Томруулах');
    expect(await page.locator('.maplibregl-ctrl-scale').textContent()).toMatch(/^\d+\sк?м$/);
    if (screenshots) await page.screenshot({ path: `${screenshots}/project-map-mn.png` });
    // The project's name and the worker's are data; a licence is named by its SPDX identifier.
    try {
      await expectScreenInMongolian(
        page,
        'project map',
        [demoProject, 'Bat-Erdene Oyunaa (social worker)', 'fieldworker', 'CC0-1.0'],
        { labels: true },
      );
    } finally {
      await page.getByLabel('Хэл').selectOption('en');
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    }
    await canvas().waitFor({ timeout: 90_000 });
    expect(await page.locator('.maplibregl-ctrl-zoom-in').getAttribute('aria-label')).toBe('Zoom in');
  }, 240_000);

  it('draws the same points with the network cut, and a tap on one opens its case', async () => {
    const narrowed = await points();
    await context.setOffline(true);
    await page.reload();
    await unlock(page);
    await canvas().waitFor({ timeout: 90_000 });
    await expect.poll(points, { timeout: 30_000 }).toBe(narrowed);

    // Groups split as the map zooms in; then a single point is tapped. The map says where a single
    // point is drawn once it has finished drawing (its `idle`), which takes a while on a busy tablet.
    const drawn = async (): Promise<'point' | 'group' | null> =>
      (await canvas().getAttribute('data-first-point')) !== null
        ? 'point'
        : (await page.locator('.cluster-map__group').count()) > 0
          ? 'group'
          : null;
    let target: string | null = null;
    for (let tries = 0; tries < 8 && target === null; tries += 1) {
      await expect.poll(drawn, { timeout: 30_000 }).not.toBeNull();
      target = await canvas().getAttribute('data-first-point');
      if (target !== null) break;
      await page.locator('.cluster-map__group').first().click();
      await page.waitForTimeout(1_000);
    }
    expect(target).not.toBeNull();
    const [x, y, id] = (target ?? '').split(',');
    const box = await canvas().boundingBox();
    await page.mouse.click((box?.x ?? 0) + Number(x), (box?.y ?? 0) + Number(y));
    await page.waitForURL(new RegExp(`/projects/${projectId}/cases/${id}$`), { timeout: 30_000 });
    if (screenshots) await page.screenshot({ path: `${screenshots}/project-map-case.png` });
    await context.setOffline(false);
    expect(pageErrors).toEqual([]);
  }, 240_000);
});
