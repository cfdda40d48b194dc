import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer } from './server.js';
import {
  apiLogin,
  at,
  cliInServer,
  collectPageErrors,
  demoProject,
  demoProjectOf,
  publishWithCli,
  signIn,
  storedSubmissions,
} from './steps.js';

// "Open and fix" for a refused form that has a photo (issue 11; the journey without photos is
// not-sent.e2e.test.ts): a field worker photographs a household's door offline; meanwhile the
// administrator narrows her to her own cases, so the server refuses it. Her khoroo given back, she
// opens it from "Not sent": the draft comes back with its photo, she corrects the note and
// finalizes it again, and the server keeps the submission with that photo linked, byte for byte.

const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const picker = at('/data/case_id');

/** A camera-like JPEG: noise, so no re-encoding could come out the same. */
async function doorPhoto(): Promise<Buffer> {
  const width = 800;
  const height = 600;
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = (i * 7727 + (i >> 11) * 17) % 253;
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A follow-up form of the demo's households: a photo of the door and a note saved to the case. */
async function publishDoorCheck(server: RunningServer, dir: string, projectSlug: string): Promise<void> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('survey').addRows([
    ['type', 'name', 'label', 'appearance', 'save_to'],
    ['select_one_from_file cases.csv', 'case_id', 'Household', 'search', ''],
    ['image', 'door_photo', 'Photo of the door', '', ''],
    ['text', 'door_note', 'What the door shows', '', 'door_note'],
  ]);
  book.addWorksheet('settings').addRows([
    ['form_id', 'version', 'form_title'],
    ['door_check', '2026120701', 'Door check'],
  ]);
  book.addWorksheet('entities').addRows([
    ['list_name', 'entity_id'],
    ['cases', '${case_id}'],
  ]);
  const file = join(dir, 'door_check.xlsx');
  await book.xlsx.writeFile(file);
  expect(await publishWithCli(server, file, projectSlug)).toContain('Published door_check');
}

describe('"Open and fix" a refused form with a photo', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dir = '';
  let projectId = '';
  let projectSlug = '';
  const pageErrors: string[] = [];
  const indicator = () => page.locator('.sync-indicator');
  const member = (scope: string[]) =>
    cliInServer(server, [
      'member',
      'add',
      '--project',
      projectSlug,
      '--user',
      'fieldworker',
      '--role',
      'fieldworker',
      ...scope,
    ]);

  beforeAll(async () => {
    server = await startServer({ demo: true, readyTimeoutMs: 240_000 });
    const project = await demoProjectOf(await apiLogin(server));
    projectId = project.id;
    projectSlug = project.slug;
    dir = await mkdtemp(join(tmpdir(), 'outpost-fix-photo-'));
    await publishDoorCheck(server, dir, projectSlug);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page = await context.newPage();
    collectPageErrors(page, pageErrors);
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('opens the draft with its photo; sent again, the server links that photo to it', async () => {
    const photo = await doorPhoto();
    const photoFile = join(dir, 'IMG_0420.jpg');
    await writeFile(photoFile, photo);

    await signIn(page, server);
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    await expect.poll(() => indicator().textContent(), { timeout: 60_000 }).toMatch(/^Synced/);
    await page.getByRole('link', { name: new RegExp(demoProject) }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    const row = page.locator('tr.case-row').first();
    const caseId = (await row.getAttribute('data-case-id')) ?? '';
    const label = (await row.locator('th').textContent())?.trim() ?? '';
    expect(caseId).not.toBe('');

    // Offline at the door: the household, the photo, a note.
    await page.getByRole('link', { name: 'Fill a form' }).click();
    await page.locator('[data-form-id="door_check"] a').click();
    await page.locator(picker).waitFor({ timeout: 30_000 });
    await context.setOffline(true);
    await page.locator(picker).getByRole('searchbox', { name: 'Filter the choices' }).fill(label);
    await page.locator(`${picker} input[value="${caseId}"]`).check();
    await page.locator(`${at('/data/door_photo')} input[type="file"]`).setInputFiles(photoFile);
    const previewWidth = () =>
      page
        .locator(`${at('/data/door_photo')} img.image__preview`)
        .evaluate((img: HTMLImageElement) => img.naturalWidth);
    await expect.poll(previewWidth).toBe(800);
    await page.locator(`${at('/data/door_note')} input, ${at('/data/door_note')} textarea`).fill('Door broken');
    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByText('Saved on this device. It will be sent when there is a connection.').waitFor();

    // Meanwhile the administrator leaves her only the cases assigned to her: refused.
    expect(await member(['--own'])).toContain('Changed fieldworker');
    await context.setOffline(false);
    await expect.poll(() => indicator().textContent(), { timeout: 90_000 }).toBe('1 not accepted');
    expect(storedSubmissions(server, 'door_check')).toEqual([]);

    // Her khoroo given back, she opens it from "Not sent".
    expect(await member(['--area', 'MN111051'])).toContain('Changed fieldworker');
    await indicator().click();
    await page.getByRole('heading', { name: 'Not sent' }).waitFor();
    const refused = page.locator('li.sync-entry--rejected');
    await expect.poll(() => refused.count()).toBe(1);
    await refused.first().getByRole('button', { name: 'Open and fix' }).click();

    // The draft comes back with its photo (shown, the picture she took) and her answers.
    await page.locator(`${at('/data/door_photo')} img.image__preview`).waitFor({ timeout: 30_000 });
    await expect.poll(previewWidth, { timeout: 30_000 }).toBe(800);
    const note = page.locator(`${at('/data/door_note')} input, ${at('/data/door_note')} textarea`);
    expect(await note.inputValue()).toBe('Door broken');
    if (screenshots) await page.screenshot({ path: `${screenshots}/fix-refused-photo.png`, fullPage: true });
    await note.fill('Door broken, hinge missing');
    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByText(/Saved on this device/).waitFor();
    await expect.poll(() => indicator().textContent(), { timeout: 90_000 }).toMatch(/^Synced/);

    // The server has the corrected submission, with the photo linked byte for byte.
    await expect.poll(() => storedSubmissions(server, 'door_check').length, { timeout: 60_000 }).toBe(1);
    await expect
      .poll(() => [...(storedSubmissions(server, 'door_check')[0]?.files.values() ?? [])], { timeout: 60_000 })
      .toEqual([sha256(photo)]);
    const [stored] = storedSubmissions(server, 'door_check');
    const photoName = stored?.data['door_photo'];
    expect(typeof photoName).toBe('string');
    expect(stored?.files.get(String(photoName))).toBe(sha256(photo));
    expect(stored?.data['door_note']).toBe('Door broken, hinge missing');
    const api = await apiLogin(server);
    const after = await api.get<{ properties: Record<string, unknown> }>(`/projects/${projectId}/cases/${caseId}`);
    expect(after.properties['door_note']).toBe('Door broken, hinge missing');
    const download = await api.fetch(`/projects/${projectId}/attachments/${sha256(photo)}`);
    expect(download.status).toBe(200);
    expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(sha256(photo));
    expect(pageErrors).toEqual([]);
  });
});
