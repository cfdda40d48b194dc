import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFormWorkbook } from '../templates/scripts/writeFormWorkbook.mjs';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer } from './server.js';
import {
  apiLogin,
  at,
  collectPageErrors,
  demoProject,
  demoProjectOf,
  enrolAuthenticator,
  publishWithCli,
  signIn,
  storedSubmissions,
} from './steps.js';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Whether an EXIF block (as sharp's `metadata().exif` gives it: `Exif\0\0` then TIFF) points to a
 * GPS directory (tag 0x8825 in IFD0): the camera's position.
 */
function hasGpsPosition(exif: Buffer | undefined): boolean {
  if (exif === undefined) return false;
  const tiff = exif.subarray(exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? 6 : 0);
  const little = tiff.subarray(0, 2).toString('latin1') === 'II';
  const u16 = (at: number): number => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number): number => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd0 = u32(4);
  const entries = u16(ifd0);
  for (let i = 0; i < entries; i += 1) if (u16(ifd0 + 2 + i * 12) === 0x8825) return true;
  return false;
}

/** A camera-like JPEG, 1600×1200, whose EXIF carries where it was taken (a ranger post near Port Moresby). */
async function photoWithGps(): Promise<Buffer> {
  const width = 1600;
  const height = 1200;
  // Noise, so the JPEG is a realistic size and a re-encoding could not come out identical.
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = (i * 7919 + (i >> 9) * 31) % 251;
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 92 })
    .withExif({
      IFD0: { Make: 'Outpost test camera', Model: 'E2E' },
      IFD3: {
        GPSLatitudeRef: 'S',
        GPSLatitude: '9/1 26/1 1200/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '147/1 11/1 0/1',
      },
    })
    .toBuffer();
}

async function photoForm(dir: string): Promise<string> {
  const file = join(dir, 'photo_check.xlsx');
  await writeFormWorkbook(
    [
      {
        name: 'survey',
        rows: [
          ['type', 'name', 'label', 'parameters', 'sensitivity'],
          ['image', 'evidence_photo', 'Evidence photo', '', 'normal'],
          ['image', 'overview_photo', 'Overview photo', 'max-pixels=400', 'normal'],
        ],
      },
      {
        name: 'settings',
        rows: [
          ['form_title', 'form_id', 'version'],
          ['Evidence photo check', 'photo_check', '1'],
        ],
      },
    ],
    file,
  );
  return file;
}

/** The files the server linked to the `photo_check` submissions, by question name. */
function storedPhotos(server: RunningServer): Map<string, string> {
  return new Map(storedSubmissions(server, 'photo_check').flatMap((s) => Object.entries(s.photos)));
}

describe('evidence photos are kept as the original file', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dir: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // Generous under load: the machine is shared, and the demo seeds before it listens.
    server = await startServer({ demo: true, readyTimeoutMs: 240_000 });
    dir = await mkdtemp(join(tmpdir(), 'outpost-photos-'));
    const api = await apiLogin(server);
    const project = await demoProjectOf(api);
    expect(await publishWithCli(server, await photoForm(dir), project.slug)).toContain('Published photo_check');
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page = await context.newPage();
    collectPageErrors(page, pageErrors);
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stores the photo byte for byte, downscales only where max-pixels asks, and strips the position for coarse roles', async () => {
    const original = await photoWithGps();
    expect(hasGpsPosition((await sharp(original).metadata()).exif)).toBe(true);
    const photoFile = join(dir, 'IMG_0001.jpg');
    await writeFile(photoFile, original);

    await signIn(page, server);
    await page.getByRole('link', { name: new RegExp(demoProject) }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    await page.getByRole('link', { name: 'Fill a form' }).click();
    await page.getByRole('link', { name: 'New: Evidence photo check' }).click();
    await page.getByRole('heading', { name: 'Evidence photo check', level: 1 }).waitFor({ timeout: 30_000 });

    await page.locator(`${at('/data/evidence_photo')} input[type="file"]`).setInputFiles(photoFile);
    await page.locator(`${at('/data/overview_photo')} input[type="file"]`).setInputFiles(photoFile);
    // The previews show the original and the copy the form asked for.
    const previewWidth = (reference: string) =>
      page.locator(`${at(reference)} img.image__preview`).evaluate((img: HTMLImageElement) => img.naturalWidth);
    await expect.poll(() => previewWidth('/data/evidence_photo')).toBe(1600);
    await expect.poll(() => previewWidth('/data/overview_photo')).toBe(400);

    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();

    // Uploaded by the device's queue: the stored evidence is the original, byte for byte.
    await expect.poll(() => storedPhotos(server).size, { timeout: 60_000 }).toBe(2);
    const stored = storedPhotos(server);
    expect(stored.get('evidence_photo')).toBe(sha256(original));
    expect(stored.get('overview_photo')).not.toBe(sha256(original));

    const worker = await apiLogin(server);
    const project = await demoProjectOf(worker);
    const download = async (who: typeof worker, hash: string | undefined): Promise<Buffer> => {
      let response: Response | undefined;
      await expect
        .poll(
          async () => {
            response = await who.fetch(`/projects/${project.id}/attachments/${hash}`);
            return response.status;
          },
          { timeout: 60_000 },
        )
        .toBe(200);
      return Buffer.from(await (response as Response).arrayBuffer());
    };

    // A role shown exact locations gets the original, position and all.
    const exact = await download(worker, stored.get('evidence_photo'));
    expect(sha256(exact)).toBe(sha256(original));
    expect(hasGpsPosition((await sharp(exact).metadata()).exif)).toBe(true);

    // The analyst (locations on a 1 km grid) gets the same picture without the camera's position.
    const analyst = await apiLogin(server, 'analyst');
    const plain = await download(analyst, stored.get('evidence_photo'));
    const plainMeta = await sharp(plain).metadata();
    expect(hasGpsPosition(plainMeta.exif)).toBe(false);
    expect([plainMeta.width, plainMeta.height]).toEqual([1600, 1200]);

    // The question with max-pixels=400 kept a 400 px copy.
    const small = await sharp(await download(worker, stored.get('overview_photo'))).metadata();
    expect(Math.max(small.width ?? 0, small.height ?? 0)).toBe(400);

    expect(pageErrors).toEqual([]);
  });

  it('an administrator edits the submission in the form with its photos: one replaced, the other kept', async () => {
    const [sent] = storedSubmissions(server, 'photo_check');
    if (sent === undefined) throw new Error('the photo submission is not stored');
    const betterPhoto = await sharp({
      create: { width: 800, height: 600, channels: 3, background: { r: 20, g: 120, b: 60 } },
    })
      .jpeg()
      .toBuffer();
    const betterFile = join(dir, 'IMG_0002.jpg');
    await writeFile(betterFile, betterPhoto);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    // The administrator: a submission that places no case is out of a khoroo supervisor's reach.
    const reviewer = await context.newPage();
    collectPageErrors(reviewer, pageErrors);
    await signIn(reviewer, server, 'admin');
    await enrolAuthenticator(reviewer);
    await reviewer.getByRole('link', { name: new RegExp(demoProject) }).click();
    await reviewer.getByRole('link', { name: 'Review submissions' }).click();
    await reviewer.getByLabel('Form', { exact: true }).selectOption('photo_check');
    await reviewer.locator('tbody tr').first().getByRole('button', { name: 'Open' }).click();
    const panel = reviewer.getByRole('complementary');
    // The answers show the photos themselves (thumbnails the server made), not file names.
    const thumbnails = panel.locator('.review__answers img.review__photo');
    await expect.poll(() => thumbnails.count(), { timeout: 30_000 }).toBe(2);
    await expect
      .poll(() => thumbnails.first().evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 30_000 })
      .toBeGreaterThan(0);

    // The form opens with both stored photos; the evidence photo is replaced, the overview kept.
    await panel.getByRole('link', { name: 'Edit answers' }).click();
    await reviewer.getByText('You are editing a submission.').waitFor({ timeout: 60_000 });
    const previewWidth = (reference: string) =>
      reviewer.locator(`${at(reference)} img.image__preview`).evaluate((img: HTMLImageElement) => img.naturalWidth);
    await expect.poll(() => previewWidth('/data/evidence_photo'), { timeout: 30_000 }).toBe(1600);
    await expect.poll(() => previewWidth('/data/overview_photo')).toBe(400);
    await reviewer.locator(`${at('/data/evidence_photo')} input[type="file"]`).setInputFiles(betterFile);
    await expect.poll(() => previewWidth('/data/evidence_photo')).toBe(800);
    await reviewer.getByRole('button', { name: 'Finalize' }).click();

    // Back on the review screen: the edit says the photo was replaced and shows both.
    await reviewer.getByText('The edit was saved.').waitFor({ timeout: 60_000 });
    const row = panel.locator('.review__diff tbody tr', { hasText: 'Evidence photo' });
    await row.getByText('Photo replaced').waitFor();
    expect(await row.locator('img.review__photo').count()).toBe(2);
    expect(await panel.locator('.review__diff tbody tr', { hasText: 'Overview photo' }).count()).toBe(0);

    // Stored: the edit has the new evidence photo and the overview it kept without a new upload;
    // the original still has its own.
    const [original, edit] = storedSubmissions(server, 'photo_check');
    expect(original?.photos).toEqual(sent.photos);
    expect(edit?.photos['evidence_photo']).toBe(sha256(betterPhoto));
    expect(edit?.photos['overview_photo']).toBe(sent.photos['overview_photo']);
    expect(pageErrors).toEqual([]);
  }, 360_000);
});
