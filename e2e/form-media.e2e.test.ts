// Issue 13, form media from the web: on Administration → Forms the administrator chooses a workbook
// whose note shows an image (a Cyrillic file name), sees the file listed as missing, attaches it,
// publishes, and ODK Collect's manifest lists it with the md5 of the bytes she chose. A second file
// the form names is added later by choosing the same workbook again.
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer } from './server.js';
import {
  apiLogin,
  cliInServer,
  collectPageErrors,
  demoProject,
  demoProjectOf,
  enrolAuthenticator,
  signIn,
} from './steps.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const imageName = 'худгийн-зураг.png';
// A real 1×1 PNG, so the browser and Collect could show it.
const image = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const sound = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(2000, 5)]);
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

async function wellForm(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('survey').addRows([
    ['type', 'name', 'label', 'image', 'audio'],
    ['note', 'well_note', 'This is the well', imageName, ''],
    ['text', 'heard', 'What did you hear?', '', 'prompt.mp3'],
  ]);
  book.addWorksheet('settings').addRows([
    ['form_id', 'version', 'form_title'],
    ['well_media', '2026120701', 'Well with media'],
  ]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('an administrator publishes a form with its media files in the web app', () => {
  let server: RunningServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer({ demo: true, readyTimeoutMs: 150_000 });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('attaches the image the form names; the manifest lists it with its md5; the audio is added later', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    collectPageErrors(page, pageErrors, /Content Security Policy/i);
    await signIn(page, server, 'admin');
    await enrolAuthenticator(page);
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('link', { name: 'Forms' }).click();
    await page.getByRole('heading', { name: 'Publish a form' }).waitFor();
    await page.getByRole('combobox', { name: /^Project/ }).selectOption({ label: demoProject });

    const workbook = await wellForm();
    await page
      .getByLabel('XLSForm workbook (.xlsx)')
      .setInputFiles({ name: 'well.xlsx', mimeType: XLSX, buffer: workbook });
    await page.getByRole('heading', { name: 'Media files' }).waitFor();
    const rows = page.locator('.form-media__files tbody tr');
    const states = () =>
      rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-media-file'), tr.textContent]));
    expect(await states()).toEqual([
      ['prompt.mp3', 'prompt.mp3Missing'],
      [imageName, `${imageName}Missing`],
    ]);

    // The image and a file the form does not name: that one is shown as not sent.
    await page.locator('input[name="media"]').setInputFiles([
      { name: imageName, mimeType: 'image/png', buffer: image },
      { name: 'stray.txt', mimeType: 'text/plain', buffer: Buffer.from('not for the form') },
    ]);
    await expect.poll(states).toEqual([
      ['prompt.mp3', 'prompt.mp3Missing'],
      [imageName, `${imageName}Attached`],
      ['stray.txt', 'stray.txtNot named by the form: it will not be sent'],
    ]);
    await page.getByRole('button', { name: 'Publish version 2026120701' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'is published' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`Media files stored with version 2026120701: ${imageName}.`);
    expect(await notice.textContent()).toContain('Media files still missing: prompt.mp3.');

    // ODK Collect, set up with an app user, reads the manifest: the image with the md5 of its bytes.
    const project = await demoProjectOf(await apiLogin(server));
    const added = JSON.parse(
      await cliInServer(server, [
        'app-user',
        'add',
        '--project',
        project.slug,
        '--display-name',
        'Well tablet',
        '--public-url',
        server.url,
        '--json',
      ]),
    ) as { serverUrl: string };
    const manifestOf = async () => {
      const res = await fetch(`${added.serverUrl}/forms/well_media/manifest`);
      expect(res.status).toBe(200);
      const xml = await res.text();
      return [
        ...xml.matchAll(
          /<mediaFile>\s*<filename>([^<]+)<\/filename>\s*<hash>([^<]+)<\/hash>\s*<downloadUrl>([^<]+)<\/downloadUrl>/g,
        ),
      ].map(([, name, hash, url]) => ({ name, hash, url: url ?? '' }));
    };
    const first = await manifestOf();
    expect(first.map(({ name, hash }) => [name, hash])).toEqual([[imageName, `md5:${md5(image)}`]]);
    const served = await fetch(first[0]?.url ?? '');
    expect(Buffer.from(await served.arrayBuffer()).equals(image)).toBe(true);

    // The same workbook again: the image is stored, the audio can be attached and added.
    await page
      .getByLabel('XLSForm workbook (.xlsx)')
      .setInputFiles({ name: 'well.xlsx', mimeType: XLSX, buffer: workbook });
    await page.getByText('This version is already published.').waitFor();
    await expect.poll(states).toEqual([
      ['prompt.mp3', 'prompt.mp3Missing'],
      [imageName, `${imageName}Stored with this version`],
    ]);
    await page
      .locator('input[name="media"]')
      .setInputFiles([{ name: 'prompt.mp3', mimeType: 'audio/mpeg', buffer: sound }]);
    await page.getByRole('button', { name: 'Add the attached files' }).click();
    await page.getByRole('status').filter({ hasText: 'Media files stored with version 2026120701' }).waitFor();
    expect((await manifestOf()).map(({ name, hash }) => [name, hash]).sort()).toEqual(
      [
        [imageName, `md5:${md5(image)}`],
        ['prompt.mp3', `md5:${md5(sound)}`],
      ].sort(),
    );
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
