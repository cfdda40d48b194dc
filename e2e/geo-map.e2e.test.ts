import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { expectScreenInMongolian } from './screenText.js';
import { startServer, type RunningServer } from './server.js';
import { apiLogin, collectPageErrors, at, demoProject, demoProjectOf, publishWithCli, signIn } from './steps.js';

const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];
// Where the test device stands: Port Moresby, with a 8 m fix.
const here = { latitude: -9.4438, longitude: 147.1803, accuracy: 8 };

/** The whole form this test fills: a path walked, a garden plot, and where the garden gate is. */
async function publishMapForm(server: RunningServer): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const survey = workbook.addWorksheet('survey');
  survey.addRows([
    ['type', 'name', 'label::English (en)', 'label::Mongolian (mn)'],
    ['geotrace', 'path', 'The path walked', 'Явсан зам'],
    ['geoshape', 'plot', 'The garden plot', 'Цэцэрлэгийн талбай'],
    ['geopoint', 'gate', 'The garden gate', 'Цэцэрлэгийн хаалга'],
  ]);
  const settings = workbook.addWorksheet('settings');
  settings.addRows([
    ['form_title', 'form_id', 'version'],
    ['Garden map', 'garden_map', '2026112701'],
  ]);
  const dir = await mkdtemp(join(tmpdir(), 'outpost-geo-form-'));
  try {
    const project = await demoProjectOf(await apiLogin(server));
    const file = join(dir, 'garden_map.xlsx');
    await workbook.xlsx.writeFile(file);
    expect(await publishWithCli(server, file, project.slug)).toContain('Published garden_map');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Corner {
  readonly lat: number;
  readonly lon: number;
  readonly alt: number;
  readonly acc: number;
}

const corners = (value: string): Corner[] =>
  value.split(';').map((point) => {
    const [lat = NaN, lon = NaN, alt = NaN, acc = NaN] = point.trim().split(/\s+/).map(Number);
    return { lat, lon, alt, acc };
  });

/** A tap on the map, in pixels from its centre. */
async function tap(map: Locator, dx: number, dy: number): Promise<void> {
  const box = await map.boundingBox();
  if (!box) throw new Error('the map is not on screen');
  await map.page().mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
}

async function drag(page: Page, handle: Locator, dx: number, dy: number): Promise<void> {
  const box = await handle.boundingBox();
  if (!box) throw new Error('the point is not on screen');
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 5 });
  await page.mouse.move(x + dx, y + dy, { steps: 5 });
  await page.mouse.up();
}

describe('a ranger draws a path and a garden plot on the map', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const posted: string[] = [];

  beforeAll(async () => {
    server = await startServer({ demo: true });
    await publishMapForm(server);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1024, height: 900 }, locale: 'en-US' });
    await context.grantPermissions(['geolocation'], { origin: server.url });
    await context.setGeolocation(here);
    // Every CSP refusal, straight from the page (a blob: worker, a style attribute, a fetch elsewhere).
    await context.addInitScript(() => {
      const seen: string[] = [];
      Object.assign(window, { cspViolations: seen });
      document.addEventListener('securitypolicyviolation', (event) =>
        seen.push(`${event.effectiveDirective} ${event.blockedURI}`),
      );
    });
    page = await context.newPage();
    // MapLibre's own errors, our "map failed", and any refusal by the CSP (a blob: worker, a style attribute).
    collectPageErrors(page, pageErrors, /Content Security Policy|WebAssembly|WebGL|map (failed|error)/i);
    context.on('request', (request) => {
      const body = request.method() === 'POST' ? request.postData() : null;
      if (body !== null) posted.push(body);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('draws a 3-point trace and a 4-point shape under the strict CSP, and submits them as ODK values', async () => {
    await signIn(page, server);
    await page.getByRole('link', { name: new RegExp(demoProject) }).click();
    await page.getByRole('link', { name: 'Fill a form' }).click();
    await page.getByRole('link', { name: 'New: Garden map' }).click();
    await page.getByRole('heading', { name: 'Garden map', level: 1 }).waitFor({ timeout: 30_000 });

    // The trace: one point from the GPS (with its accuracy), two tapped on the map.
    const path = page.locator(at('/data/path'));
    const pathMap = path.locator('.geo-map__canvas');
    await path.locator('.geo-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
    await path.getByRole('button', { name: 'Add the current location' }).click();
    await expect.poll(() => path.locator('.geo__points li').count()).toBe(1);
    await tap(pathMap, 120, -60);
    await tap(pathMap, 200, 40);
    await tap(pathMap, -150, 90);
    await expect.poll(() => path.locator('.geo-map__vertex').count()).toBe(4);
    await path.getByRole('button', { name: 'Undo the last point' }).click();
    await expect.poll(() => path.locator('.geo__points li').count()).toBe(3);
    await expect.poll(() => path.locator('.geo-map__vertex').count()).toBe(3);
    await expect.poll(() => path.locator('.geo__measure').textContent()).toMatch(/^Length \d+ m$/);
    const beforeDrag = await path.locator('.geo__points li').nth(2).textContent();
    // Dragging point 3 to the right moves it east.
    await drag(page, path.locator('.geo-map__vertex', { hasText: '3' }), 80, 0);
    await expect.poll(() => path.locator('.geo__points li').nth(2).textContent()).not.toBe(beforeDrag);
    if (screenshots) await path.screenshot({ path: `${screenshots}/geo-trace.png` });

    // The shape: four corners tapped clockwise; the area is shown.
    const plot = page.locator(at('/data/plot'));
    const plotMap = plot.locator('.geo-map__canvas');
    await plot.scrollIntoViewIfNeeded();
    await plot.locator('.geo-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
    await plotMap.scrollIntoViewIfNeeded();
    await tap(plotMap, -100, -80);
    await tap(plotMap, 100, -80);
    await tap(plotMap, 100, 80);
    await tap(plotMap, -100, 80);
    await expect.poll(() => plot.locator('.geo-map__vertex').count()).toBe(4);
    await expect.poll(() => plot.locator('.geo__points li').count()).toBe(4);
    await expect.poll(() => plot.locator('.geo__measure').textContent()).toMatch(/^Area [\d.]+ (m²|ha)$/);
    if (screenshots) await plot.screenshot({ path: `${screenshots}/geo-shape.png` });

    // The gate: a GPS point, shown on the map on request.
    const gate = page.locator(at('/data/gate'));
    await gate.getByRole('button', { name: 'Get the location' }).click();
    await expect.poll(() => gate.locator('.geo__value').textContent()).toContain('± 8.0 m');
    await gate.getByRole('button', { name: 'Show on the map' }).click();
    await gate.locator('.geo-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => gate.locator('.geo-map__vertex').count()).toBe(1);
    if (screenshots) await page.screenshot({ path: `${screenshots}/geo-form.png`, fullPage: true });

    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();

    // Finalizing queues the form on the device; the sync sends it right after.
    await expect.poll(() => posted.some((body) => body.includes('<path>')), { timeout: 30_000 }).toBe(true);
    const submission = posted.find((body) => body.includes('<path>'));
    const value = (name: string): string => new RegExp(`<${name}>([^<]*)</${name}>`).exec(submission ?? '')?.[1] ?? '';

    const trace = corners(value('path'));
    expect(trace).toHaveLength(3);
    expect(trace[0]).toEqual({ lat: here.latitude, lon: here.longitude, alt: 0, acc: here.accuracy });
    for (const point of trace.slice(1)) {
      expect(point.acc).toBe(0);
      expect(Math.abs(point.lat - here.latitude)).toBeLessThan(0.05);
      expect(Math.abs(point.lon - here.longitude)).toBeLessThan(0.05);
    }
    // Point 2 was tapped north-east of the start, point 3 south-east of point 2 and then dragged further east.
    expect(trace[1]?.lon).toBeGreaterThan(here.longitude);
    expect(trace[1]?.lat).toBeGreaterThan(here.latitude);
    expect(trace[2]?.lon).toBeGreaterThan(trace[1]?.lon ?? Infinity);
    expect(trace[2]?.lat).toBeLessThan(trace[1]?.lat ?? -Infinity);

    const shape = corners(value('plot'));
    expect(shape).toHaveLength(5);
    expect(shape[4]).toEqual(shape[0]);
    const [nw, ne, se, sw] = shape;
    expect(ne?.lon).toBeGreaterThan(nw?.lon ?? Infinity);
    expect(se?.lat).toBeLessThan(ne?.lat ?? -Infinity);
    expect(sw?.lon).toBeCloseTo(nw?.lon ?? NaN, 4);

    expect(corners(value('gate'))).toEqual([{ lat: here.latitude, lon: here.longitude, alt: 0, acc: here.accuracy }]);
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('falls back to the point list on a device without WebGL, and never loads MapLibre', async () => {
    const plain = await browser.newContext({ viewport: { width: 1024, height: 900 }, locale: 'en-US' });
    // Chromium here does have WebGL (SwiftShader); take it away as an old tablet would not have it.
    await plain.addInitScript(() => {
      const canvas = HTMLCanvasElement.prototype;
      const original = Object.getOwnPropertyDescriptor(canvas, 'getContext')?.value as (
        this: HTMLCanvasElement,
        ...args: unknown[]
      ) => RenderingContext | null;
      Object.defineProperty(canvas, 'getContext', {
        configurable: true,
        value(this: HTMLCanvasElement, kind: string, ...rest: unknown[]): RenderingContext | null {
          return kind.includes('webgl') ? null : original.call(this, kind, ...rest);
        },
      });
    });
    const fetched: string[] = [];
    const sent: string[] = [];
    plain.on('request', (request) => {
      const body = request.method() === 'POST' ? request.postData() : null;
      if (body !== null) sent.push(body);
    });
    const tablet = await plain.newPage();
    // The page's own loads: the service worker does precache the map files, for devices that can use them.
    tablet.on('request', (request) => fetched.push(request.url()));
    try {
      await signIn(tablet, server);
      await tablet.getByRole('link', { name: new RegExp(demoProject) }).click();
      await tablet.getByRole('link', { name: 'Fill a form' }).click();
      await tablet.getByRole('link', { name: 'New: Garden map' }).click();
      await tablet.getByRole('heading', { name: 'Garden map', level: 1 }).waitFor({ timeout: 30_000 });

      const typePoint = async (question: Locator, latitude: string, longitude: string): Promise<void> => {
        const manual = question.locator('details.geo__manual');
        if ((await manual.getAttribute('open')) === null) await manual.locator('summary').click();
        await question.getByLabel('Latitude').fill(latitude);
        await question.getByLabel('Longitude').fill(longitude);
        await question.getByRole('button', { name: 'Add these coordinates' }).click();
      };
      const path = tablet.locator(at('/data/path'));
      await path.getByText('This device cannot draw maps (no WebGL). Use the point list below.').waitFor();
      await typePoint(path, '-9.4438', '147.1803');
      await path.getByText('A line needs at least 2 points; it is not saved until then.').waitFor();
      await typePoint(path, '-9.4441', '147.1809');
      await expect.poll(() => path.locator('.geo__measure').textContent()).toMatch(/^Length \d+ m$/);

      const plot = tablet.locator(at('/data/plot'));
      await typePoint(plot, '-9.4430', '147.1800');
      await typePoint(plot, '-9.4430', '147.1810');
      await typePoint(plot, '-9.4440', '147.1810');
      await expect.poll(() => plot.locator('.geo__measure').textContent()).toBe('Area 6112 m²');
      await expect(tablet.locator('.geo-map').count()).resolves.toBe(0);
      if (screenshots) await tablet.screenshot({ path: `${screenshots}/geo-no-webgl.png`, fullPage: true });

      await tablet.getByRole('button', { name: 'Finalize' }).click();
      await tablet.getByRole('heading', { name: 'Cases' }).waitFor();
      await expect.poll(() => sent.some((body) => body.includes('-9.4441')), { timeout: 30_000 }).toBe(true);
      const submission = sent.find((body) => body.includes('-9.4441')) ?? '';
      const value = (name: string): string => new RegExp(`<${name}>([^<]*)</${name}>`).exec(submission)?.[1] ?? '';
      expect(corners(value('path')).map((p) => [p.lat, p.lon])).toEqual([
        [-9.4438, 147.1803],
        [-9.4441, 147.1809],
      ]);
      expect(corners(value('plot')).map((p) => [p.lat, p.lon])).toEqual([
        [-9.443, 147.18],
        [-9.443, 147.181],
        [-9.444, 147.181],
        [-9.443, 147.18],
      ]);
      expect(fetched.filter((url) => /maplibre|GeoMap/.test(url))).toEqual([]);
    } finally {
      await plain.close();
    }
  });
  it('says everything on the geo questions in Mongolian: maps, their buttons, points, measures, a refused fix', async () => {
    const mn = await browser.newContext({ viewport: { width: 1024, height: 900 }, locale: 'en-US' });
    await mn.grantPermissions(['geolocation'], { origin: server.url });
    await mn.setGeolocation(here);
    const tablet = await mn.newPage();
    collectPageErrors(tablet, pageErrors, /Content Security Policy|WebAssembly|WebGL|map (failed|error)/i);
    try {
      await signIn(tablet, server);
      await tablet.getByRole('link', { name: new RegExp(demoProject) }).click();
      await tablet.getByRole('link', { name: 'Fill a form' }).click();
      await tablet.getByRole('link', { name: 'New: Garden map' }).click();
      await tablet.getByRole('heading', { name: 'Garden map', level: 1 }).waitFor({ timeout: 30_000 });
      await tablet.locator('select[name="language"]').selectOption('mn');
      await expect.poll(() => tablet.locator('html').getAttribute('lang')).toBe('mn');
      await tablet.getByText('Явсан зам').waitFor({ timeout: 30_000 });

      const path = tablet.locator(at('/data/path'));
      await path.locator('.geo-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
      await path.getByRole('button', { name: 'Одоогийн байршлыг нэмэх' }).click();
      await expect.poll(() => path.locator('.geo__points li').count()).toBe(1);
      await tap(path.locator('.geo-map__canvas'), 120, -60);
      await expect.poll(() => path.locator('.geo__measure').textContent()).toMatch(/^Урт \d+ м$/);

      const plot = tablet.locator(at('/data/plot'));
      await plot.scrollIntoViewIfNeeded();
      await plot.locator('.geo-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
      const plotMap = plot.locator('.geo-map__canvas');
      await plotMap.scrollIntoViewIfNeeded();
      await tap(plotMap, -100, -80);
      await expect
        .poll(() => plot.locator('.geo__caption').allTextContents())
        .toContain('Талбай дор хаяж 3 цэгтэй байна; түүнээс өмнө хадгалагдахгүй.');
      await tap(plotMap, 100, -80);
      await tap(plotMap, 100, 80);
      await expect.poll(() => plot.locator('.geo__measure').textContent()).toMatch(/^Талбай [\d.,]+ (м²|га)$/);

      const gate = tablet.locator(at('/data/gate'));
      await gate.getByRole('button', { name: 'Байршил тогтоох' }).click();
      await expect.poll(() => gate.locator('.geo__value').textContent()).toContain('± 8.0 м');
      await gate.getByRole('button', { name: 'Газрын зураг дээр харуулах' }).click();
      await gate.locator('.geo-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
      const manual = gate.locator('details.geo__manual');
      await manual.locator('summary').click();

      // The background map's licence is named by its SPDX identifier, the form's title and the
      // project's and worker's names are data.
      const attribution = (await tablet.locator('.maplibregl-ctrl-attrib-inner').first().textContent()) ?? '';
      const licence = /\(([^)]+)\)\s*$/.exec(attribution)?.[1];
      const data = ['Garden map', demoProject, 'Bat-Erdene Oyunaa (social worker)', 'fieldworker'];
      if (screenshots) await tablet.screenshot({ path: `${screenshots}/geo-form-mn.png`, fullPage: true });
      await expectScreenInMongolian(tablet, 'the geo questions', [...data, ...(licence ? [licence] : [])], {
        labels: true,
      });

      // The location refused by the browser: said in Mongolian, not in the browser's English.
      await mn.clearPermissions();
      await gate.getByRole('button', { name: 'Байршлыг арилгах' }).click();
      await gate.getByRole('button', { name: 'Байршил тогтоох' }).click();
      await gate
        .getByText(
          'Байршлыг тогтоож чадсангүй: энэ аппликейшнд байршил ашиглах зөвшөөрөл алга. Хөтчийн тохиргоонд зөвшөөрөх эсвэл солбицлыг гараар оруулна уу.',
        )
        .waitFor({ timeout: 30_000 });
      await expectScreenInMongolian(tablet, 'a refused location', [...data, ...(licence ? [licence] : [])], {
        labels: true,
      });
      if (screenshots) await gate.screenshot({ path: `${screenshots}/geo-refused-mn.png` });
      expect(pageErrors).toEqual([]);
    } finally {
      await mn.close();
    }
  });
});
