// Issue 13, real ODK clients in Chromium against the built server: ODK Web Forms
// (@getodk/web-forms) and Enketo (enketo-transformer's web build + enketo-core), neither written
// here, load a registration form from Outpost's OpenRosa form list with an app user's key URL,
// are filled and submit to `…/submission` as multipart/form-data; the submission is stored and
// the case it creates appears through the API.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { buildHarness, HARNESS_PATH, type Harness } from './odk-clients/harness.js';
import { startServer, type RunningServer } from './server.js';
import { apiLogin, cliInServer, demoProjectOf, type ApiSession } from './steps.js';

const FORM_ID = 'well_register';
const VERSION = '2026120702';
// A real 1×1 PNG the form shows above its first question (form media through the manifest).
const image = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** A registration form: each submission creates a case in the `wells` list. */
async function publishWellForm(server: RunningServer, projectSlug: string): Promise<void> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('survey').addRows([
    ['type', 'name', 'label', 'image', 'save_to'],
    ['note', 'intro', 'Register a well', 'well.png', ''],
    ['text', 'well_name', 'Name of the well', '', 'well_name'],
    ['integer', 'depth', 'Depth in metres', '', 'depth'],
  ]);
  book.addWorksheet('settings').addRows([
    ['form_id', 'version', 'form_title'],
    [FORM_ID, VERSION, 'Well register'],
  ]);
  book.addWorksheet('entities').addRows([
    ['list_name', 'label'],
    ['wells', '${well_name}'],
  ]);
  const dir = await mkdtemp(join(tmpdir(), 'outpost-odk-clients-'));
  try {
    const file = join(dir, `${FORM_ID}.xlsx`);
    await book.xlsx.writeFile(file);
    await writeFile(join(dir, 'well.png'), image);
    const out = await cliInServer(server, [
      'form',
      'publish',
      file,
      '--project',
      projectSlug,
      '--media',
      join(dir, 'well.png'),
    ]);
    expect(out).toContain(`Published ${FORM_ID}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('ODK Web Forms and Enketo fill and submit an Outpost form in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let harness: Harness;
  let collectUrl: string;
  let analyst: ApiSession;
  let projectId: string;

  beforeAll(async () => {
    // One after the other: the bundling and the server's start-up share a small machine.
    harness = await buildHarness();
    server = await startServer({ demo: true, readyTimeoutMs: 150_000 });
    browser = await launchBrowser();
    const project = await demoProjectOf(await apiLogin(server));
    projectId = project.id;
    await publishWellForm(server, project.slug);
    const added = JSON.parse(
      await cliInServer(server, [
        'app-user',
        'add',
        '--project',
        project.slug,
        '--display-name',
        'Browser forms',
        '--public-url',
        server.url,
        '--json',
      ]),
    ) as { serverUrl: string };
    collectUrl = added.serverUrl;
    analyst = await apiLogin(server, 'analyst');
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await server?.stop();
  });

  /** Opens a harness page on the server's origin; page errors fail the test. */
  async function open(name: 'web-forms' | 'enketo'): Promise<{ page: Page; errors: string[] }> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await harness.serve(page, server.url);
    const query = new URLSearchParams({ server: collectUrl, form: FORM_ID });
    await page.goto(`${server.url}${HARNESS_PATH}${name}.html?${query.toString()}`);
    return { page, errors };
  }

  /** Waits for the harness's submission and returns its status and OpenRosa response. */
  async function submitted(page: Page): Promise<{ status: string; body: string }> {
    await page.waitForFunction(
      () => document.body.dataset['submitted'] !== undefined || document.body.dataset['failed'],
      null,
      {
        timeout: 60_000,
      },
    );
    return page.evaluate(() => ({
      status: document.body.dataset['submitted'] ?? 'failed',
      body: document.getElementById('result')?.textContent ?? '',
    }));
  }

  /** The case the submission created, through the API (the analyst reads every case of the project). */
  async function wellCases(): Promise<Array<{ list: string }>> {
    const page = await analyst.get<{ items: Array<{ list: string }> }>(`/projects/${projectId}/cases?list=wells`);
    return page.items;
  }

  /** Runs `steps`; on failure, the page's markup goes with the error (what the client drew). */
  async function explained(page: Page, steps: () => Promise<void>): Promise<void> {
    try {
      await steps();
    } catch (error) {
      const markup = await page
        .locator('body')
        .innerHTML({ timeout: 5_000 })
        .catch(() => '');
      throw new Error(`${String(error)}\n--- page ---\n${markup.slice(0, 6_000)}`);
    }
  }

  it('ODK Web Forms loads the form from the form list, is filled and submits; the case appears', async () => {
    const before = (await wellCases()).length;
    const { page, errors } = await open('web-forms');
    await explained(page, async () => {
      const name = page.getByLabel('Name of the well');
      await name.waitFor({ timeout: 60_000 });
      await name.fill('Khuree well');
      // Web Forms draws an integer question as PrimeVue's InputNumber, a spinbutton.
      const depth = page.getByRole('spinbutton');
      expect(await depth.count()).toBe(1);
      await depth.fill('42');
      await depth.press('Tab');
      await page.getByRole('button', { name: 'Send' }).click();
    });
    const result = await submitted(page);
    expect(result.body).toContain('OpenRosaResponse');
    expect(result.status).toBe('201');
    expect(await wellCases()).toHaveLength(before + 1);
    expect(errors).toEqual([]);
  });

  it('Enketo (enketo-transformer and enketo-core) renders the same form, is filled and submits; the case appears', async () => {
    const before = (await wellCases()).length;
    const { page, errors } = await open('enketo');
    await page.waitForFunction(
      () => document.body.dataset['loaded'] === 'true' || document.body.dataset['failed'],
      null,
      {
        timeout: 60_000,
      },
    );
    expect(await page.locator('#result').textContent()).toBe('');
    await page.locator('input[name$="/well_name"]').fill('Enketo well');
    await page.locator('input[name$="/depth"]').fill('17');
    await page.locator('input[name$="/depth"]').press('Tab');
    await page.locator('#submit').click();
    const result = await submitted(page);
    expect(result.body).toContain('OpenRosaResponse');
    expect(result.status).toBe('201');
    expect(await wellCases()).toHaveLength(before + 1);
    expect(errors).toEqual([]);
  });
});
