import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { expectScreenInMongolian } from './screenText.js';
import { repoRoot, startServer, type RunningServer } from './server.js';
import {
  apiLogin,
  collectPageErrors,
  demoProjectOf,
  plantedRegistration as registration,
  signIn,
  submitXml as submit,
} from './steps.js';

// Dashboards (issue 12, point 3): the analyst opens the dashboards of the Mongolian and the PNG
// demo projects in Chromium, saves a chart as PNG and its data as CSV, and reads the Mongolian
// screen. The test plants its own households (six close together, enough for a map cell) so it
// checks counts it knows rather than the demo's content. Screenshots go to e2e/.artifacts/dashboards/.

const artifacts = join(repoRoot, 'e2e/.artifacts/dashboards');
/** Households the test plants, at one place, as single parents. */
const PLANTED = 6;

async function saved(download: Download): Promise<Buffer> {
  const path = await download.path();
  if (path === null) throw new Error('download failed');
  return readFile(path);
}

describe('dashboards in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    await rm(artifacts, { recursive: true, force: true });
    await mkdir(artifacts, { recursive: true });
    server = await startServer({ demo: true });
    browser = await launchBrowser();
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
      acceptDownloads: true,
    });
    page = await context.newPage();
    collectPageErrors(page, errors);
    await signIn(page, server, 'analyst');
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** From the project list, as a user gets there: the project card's "Dashboards" link. */
  const openDashboards = async (projectName: string) => {
    await page.getByRole('link', { name: 'Projects', exact: true }).click();
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    const card = page.locator('li', { has: page.getByRole('link', { name: new RegExp(projectName) }) });
    await card.getByRole('link', { name: 'Dashboards' }).click();
  };
  const panel = (id: string) => page.locator(`[data-panel="${id}"]`);
  const rendered = (id: string) => panel(id).locator('[data-rendered="true"]').waitFor();

  it('shows the social-protection dashboards, saves a chart as PNG and its data as CSV, in Mongolian too', async () => {
    const fieldworker = await apiLogin(server, 'fieldworker');
    const project = await demoProjectOf(fieldworker);
    for (let i = 1; i <= PLANTED; i++) await submit(server, fieldworker, project.id, registration(i));

    await openDashboards(project.name);
    await page.getByRole('heading', { name: 'Dashboards', level: 1 }).waitFor();
    for (const title of [
      'Cases registered by month, by status',
      'Cases by area and status',
      'Cases by vulnerability',
      'Needs of open cases',
      'Caseload and overdue follow-ups per worker',
      'Map of records by hexagon',
    ]) {
      await page.getByRole('heading', { name: title, level: 2 }).waitFor();
    }
    await rendered('cases.vulnerability');
    await rendered('map');
    // An analyst does not see exact places: the screen says small places are left out.
    await page.getByText(/fewer than 5 records are left out/).waitFor();

    const [png] = await Promise.all([
      page.waitForEvent('download'),
      panel('cases.vulnerability').getByRole('button', { name: 'Save chart as PNG' }).click(),
    ]);
    expect(png.suggestedFilename()).toBe('cases-vulnerability.png');
    const image = await saved(png);
    expect(image.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(image.length).toBeGreaterThan(5_000);

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      panel('cases.vulnerability').getByRole('button', { name: 'Download data as CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe('cases-vulnerability.csv');
    const lines = (await saved(csv))
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/,Records$/);
    // The CSV holds what the server counted, under the choice's label rather than its code.
    const analyst = await apiLogin(server, 'analyst');
    const dashboard = await analyst.get<{
      panels: { id: string; rows: { keys: string[]; values: (number | null)[] }[] }[];
      map: { cells: { count: number }[] };
    }>(`/projects/${project.id}/dashboard`);
    const counted = dashboard.panels
      .find((p) => p.id === 'cases.vulnerability')
      ?.rows.find((r) => r.keys[0] === 'single_parent')?.values[0];
    expect(counted).toBeGreaterThanOrEqual(PLANTED);
    expect(lines).toContain(`Single parent heading the household,${counted}`);
    expect(lines.join('\n')).not.toContain('single_parent');
    // The analyst's CSV and screen carry no name of the planted households.
    expect(lines.join('\n')).not.toContain('Дашбоард');
    expect((await page.textContent('body')) ?? '').not.toContain('Дашбоард');
    // The map keeps the hexagon of the planted households; every cell it shows has at least 5.
    expect(dashboard.map.cells.some((c) => c.count >= PLANTED)).toBe(true);
    expect(dashboard.map.cells.every((c) => c.count >= 5)).toBe(true);

    await page.screenshot({ path: join(artifacts, 'mongolia-en.png'), fullPage: true });
    await page.getByLabel('Language').selectOption('mn');
    await page.getByRole('heading', { name: 'Хяналтын самбар', level: 1 }).waitFor();
    await rendered('cases.vulnerability');
    // The chart's numbers are labelled in Mongolian from the form's own choice labels.
    await panel('cases.vulnerability').getByText('Тоог харах').click();
    await panel('cases.vulnerability').getByRole('cell', { name: 'Өрх толгойлсон эх, эцэг' }).waitFor();
    // The project's and the user's names are data, as the other journeys allow them.
    await expectScreenInMongolian(page, 'the dashboards', [project.name, 'Demo analyst']);
    await page.screenshot({ path: join(artifacts, 'mongolia-mn.png'), fullPage: true });
    await page.getByLabel('Хэл').selectOption('en');
    expect(errors).toEqual([]);
  });

  it('shows the protected-area dashboards: incidents, species, effectiveness beside budgets', async () => {
    const analyst = await apiLogin(server, 'analyst');
    const projects = await analyst.get<{ items: { id: string; name: string }[] }>('/projects');
    const png = projects.items.find((p) => p.name === 'PNG protected areas');
    if (png === undefined) throw new Error('no PNG demo project');
    await openDashboards(png.name);
    for (const title of [
      'Incidents by month and type',
      'Incidents by protected area (or province) and type',
      'Species observations',
      'Management effectiveness, budget and incidents per protected area',
      'Map of records by hexagon',
    ]) {
      await page.getByRole('heading', { name: title, level: 2 }).waitFor();
    }
    await rendered('protectedAreas.effectiveness');
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      panel('protectedAreas.effectiveness').getByRole('button', { name: 'Download data as CSV' }).click(),
    ]);
    const header = (await saved(csv))
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n')[0];
    expect(header).toMatch(/Management effectiveness \(%\),Budget,Incidents$/);
    await page.screenshot({ path: join(artifacts, 'png-en.png'), fullPage: true });
    for (const file of ['mongolia-en.png', 'mongolia-mn.png', 'png-en.png']) {
      expect((await stat(join(artifacts, file))).size).toBeGreaterThan(10_000);
    }
    expect(errors).toEqual([]);
  });
});
