import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { Secret, TOTP } from 'otpauth';
import { formatRegisterNumber } from '@outpost/templates';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { repoRoot, startServer, type RunningServer } from './server.js';
import {
  apiLogin,
  collectPageErrors,
  at,
  demoProject,
  demoProjectOf,
  fillHousehold,
  publishWithCli,
  signIn,
  unlock,
} from './steps.js';

const formFile = join(repoRoot, 'templates/mongolia-social-protection/forms/household_registration.xlsx');
const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];

/**
 * Publishes the household registration form with one more question, a photo of the dwelling, as a
 * new version (`outpost form publish`): the template itself asks for no photo.
 */
async function publishRegistrationWithPhoto(server: RunningServer, projectSlug: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(formFile);
  const survey = workbook.getWorksheet('survey');
  const settings = workbook.getWorksheet('settings');
  if (!survey || !settings) throw new Error('the registration form has no survey or settings sheet');
  let notesRow = 0;
  survey.eachRow((row, number) => {
    if (row.getCell(2).value === 'notes') notesRow = number;
  });
  expect(notesRow).toBeGreaterThan(0);
  survey.spliceRows(notesRow + 1, 0, ['image', 'dwelling_photo', 'Орон сууцны зураг', 'Photo of the dwelling']);
  settings.getRow(2).getCell(3).value = '2099010101';
  const dir = await mkdtemp(join(tmpdir(), 'outpost-offline-form-'));
  try {
    const file = join(dir, 'household_registration.xlsx');
    await workbook.xlsx.writeFile(file);
    expect(await publishWithCli(server, file, projectSlug)).toContain('Published mn_household_registration');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A small real JPEG, drawn and encoded by the browser itself. */
async function jpegFrom(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 48;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no canvas');
    context.fillStyle = '#3a7';
    context.fillRect(0, 0, 64, 48);
    context.fillStyle = '#fff';
    context.fillRect(8, 8, 20, 20);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
    if (!blob) throw new Error('no JPEG');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let text = '';
    for (const byte of bytes) text += String.fromCharCode(byte);
    return btoa(text);
  });
  return Buffer.from(base64, 'base64');
}

/** The SHA-256 of every file waiting in the device's upload queue (read straight from IndexedDB). */
async function queuedAttachments(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const open = (name: string) =>
      new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('open failed'));
      });
    for (const info of await indexedDB.databases()) {
      if (info.name === undefined) continue;
      const db = await open(info.name);
      try {
        if (!db.objectStoreNames.contains('attachmentsQueue')) continue;
        const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
          const request = db.transaction('attachmentsQueue').objectStore('attachmentsQueue').getAllKeys();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error ?? new Error('read failed'));
        });
        return keys.map(String);
      } finally {
        db.close();
      }
    }
    return [];
  });
}

describe('offline: a field worker registers a household without a network; the supervisor receives it', () => {
  let server: RunningServer;
  let browser: Browser;
  let worker: BrowserContext;
  let projectId = '';
  const pageErrors: string[] = [];

  const newContext = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-US' });
    const page = await context.newPage();
    collectPageErrors(page, pageErrors);
    return { context, page };
  };

  const indicator = (page: Page) => page.locator('.sync-indicator');

  beforeAll(async () => {
    server = await startServer({ demo: true });
    const project = await demoProjectOf(await apiLogin(server));
    projectId = project.id;
    await publishRegistrationWithPhoto(server, project.slug);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('keeps the case and its photo on the device, sends both when back online, and the supervisor pulls the case', async () => {
    const registerNumber = formatRegisterNumber('УК', '1985-03-27', 'male', 17);
    const secondRegisterNumber = formatRegisterNumber('УК', '1990-07-14', 'male', 23);
    const opened = await newContext();
    worker = opened.context;
    const page = opened.page;

    // Online sign-in: the app opens the device store and pulls the caseload.
    await signIn(page, server);
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    await expect.poll(() => indicator(page).textContent(), { timeout: 30_000 }).toMatch(/^Synced/);

    await page.getByRole('link', { name: new RegExp(demoProject) }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    await page.getByRole('link', { name: 'Fill a form' }).click();
    await page.getByRole('heading', { name: 'Forms' }).waitFor();
    await page.getByRole('link', { name: /^New: .*Өрхийн бүртгэл|^New: Household registration/ }).click();
    await page.locator(at('/data/consent')).waitFor({ timeout: 30_000 });

    // The network goes away with the form open.
    await worker.setOffline(true);
    await expect.poll(() => indicator(page).textContent()).toMatch(/^Offline/);

    await fillHousehold(
      page,
      {
        family: 'Боржигин',
        fathers: 'Доржийн',
        given: 'Ганзориг',
        register: registerNumber,
        dob: '1985-03-27',
        address: '7-р байр, 12 тоот',
        child: 'Номин',
      },
      'situation',
    );

    await page.locator(`${at('/data/situation/vulnerability')} input[value="poor_household"]`).check();
    const photo = await jpegFrom(page);
    await page
      .locator(`${at('/data/situation/dwelling_photo')} input[type="file"]`)
      .setInputFiles({ name: 'dwelling.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.locator(`${at('/data/situation/dwelling_photo')} img.image__preview`).waitFor();

    // Finalize offline: kept on the device, shown as waiting.
    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByText('Saved on this device. It will be sent when there is a connection.').waitFor();
    const row = page.locator('[data-device-case-id]', { hasText: 'Д. Ганзориг' });
    await expect.poll(() => row.getAttribute('data-sync-state')).toBe('pending');
    await expect.poll(() => indicator(page).textContent()).toBe('Offline · 1 waiting');
    const [sha256] = await queuedAttachments(page);
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    if (screenshots) await page.screenshot({ path: `${screenshots}/offline-pending.png`, fullPage: true });

    // A reload with no network: the app opens from the worker's cache on the unlock screen, the
    // password opens the sealed data offline, and the case is still there, waiting.
    await page.reload();
    const unlockMs = await unlock(page);
    console.log(`unlock (PBKDF2-SHA-256, 600,000 iterations, Chromium): ${unlockMs} ms`);
    await expect.poll(() => row.getAttribute('data-sync-state')).toBe('pending');
    await expect.poll(() => indicator(page).textContent()).toBe('Offline · 1 waiting');

    // A second household, with the network off since the page loaded: the form list, the XForm and
    // its area lists come from the device.
    await page.getByRole('link', { name: 'Fill a form' }).click();
    await page.getByRole('heading', { name: 'Forms' }).waitFor();
    await page.getByRole('link', { name: /^New: .*Өрхийн бүртгэл|^New: Household registration/ }).click();
    await page.locator(at('/data/consent')).waitFor({ timeout: 30_000 });
    await fillHousehold(
      page,
      {
        family: 'Хиад',
        fathers: 'Цэрэнгийн',
        given: 'Жаргалсайхан',
        register: secondRegisterNumber,
        dob: '1990-07-14',
        address: '7-р байр, 12 тоот',
        child: 'Сувд',
      },
      'situation',
    );
    await page.locator(`${at('/data/situation/vulnerability')} input[value="poor_household"]`).check();
    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByText('Saved on this device. It will be sent when there is a connection.').waitFor();
    const second = page.locator('[data-device-case-id]', { hasText: 'Ц. Жаргалсайхан' });
    await expect.poll(() => second.getAttribute('data-sync-state')).toBe('pending');
    await expect.poll(() => indicator(page).textContent()).toBe('Offline · 2 waiting');

    // Back online: the sync runs by itself and ends without a failure.
    await worker.setOffline(false);
    await expect
      .poll(() => indicator(page).textContent(), { timeout: 60_000 })
      .toMatch(/^Synced/)
      .catch((err: unknown) => {
        // A refused item: the server's log line says which and why.
        const refusals = server
          .output()
          .split('\n')
          .filter((line) => line.includes('push items refused'));
        throw new Error(`${String(err)}\nrefused by the server:\n${refusals.join('\n')}`);
      });
    // Synced cases leave the "not on the server yet" list; all cases on the device are one click away.
    await page.getByRole('button', { name: 'Show the cases on this device' }).click();
    await expect.poll(() => row.getAttribute('data-sync-state'), { timeout: 30_000 }).toMatch(/^(sent|synced)$/);

    // The server has the case and the photo.
    const api = await apiLogin(server);
    const cases = await api.get<{ items: { label: string }[] }>(
      `/projects/${projectId}/cases?q=${encodeURIComponent('Ганзориг')}&limit=10&offset=0`,
    );
    expect(cases.items.map((c) => c.label)).toContain('Д. Ганзориг');
    const offlineSecond = await api.get<{ items: { label: string }[] }>(
      `/projects/${projectId}/cases?q=${encodeURIComponent('Жаргалсайхан')}&limit=10&offset=0`,
    );
    expect(offlineSecond.items.map((c) => c.label)).toContain('Ц. Жаргалсайхан');
    const stored = await api.fetch(`/projects/${projectId}/attachments/${sha256 ?? ''}`);
    expect(stored.status).toBe(200);
    expect(Buffer.from(await stored.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

    // The sync screen tells the same story.
    await page.locator('.sync-indicator').click();
    await page.getByRole('heading', { name: 'Sync' }).waitFor();
    await expect.poll(() => page.getByTestId('sync-pending').textContent()).toBe('0');
    await expect.poll(() => page.getByTestId('sync-last-success').textContent()).toMatch(/^Last complete sync: /);

    // The supervisor's device, signed in with two-step sign-in, pulls the new case.
    const boss = (await newContext()).page;
    await signIn(boss, server, 'supervisor');
    await boss.getByRole('heading', { name: 'Set up two-step sign-in' }).waitFor();
    const secret = ((await boss.locator('.enrolment__secret').textContent()) ?? '').replace(/\s/g, '');
    const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
    await boss.getByLabel('6-digit code').fill(totp.generate());
    await boss.getByRole('button', { name: 'Confirm' }).click();
    await boss.getByRole('heading', { name: 'Your projects' }).waitFor();
    await expect.poll(() => indicator(boss).textContent(), { timeout: 60_000 }).toMatch(/^Synced/);
    await boss.getByRole('link', { name: new RegExp(demoProject) }).click();
    await boss.getByRole('heading', { name: 'Cases' }).waitFor();
    await boss.getByRole('button', { name: 'Show the cases on this device' }).click();
    const pulled = boss.locator('[data-device-case-id]', { hasText: 'Д. Ганзориг' });
    await expect.poll(() => pulled.getAttribute('data-sync-state')).toBe('synced');
    if (screenshots) await boss.screenshot({ path: `${screenshots}/offline-supervisor.png`, fullPage: true });

    expect(pageErrors).toEqual([]);
  });
});
