import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { repoRoot, startServer, type RunningServer } from './server.js';
import { expectScreenInMongolian } from './screenText.js';
import { apiLogin, collectPageErrors, demoProject, demoProjectOf, enrolAuthenticator, signIn } from './steps.js';

const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];

// Administration → Basemap: the current basemap of a project (read from the archive), a file that
// is not PMTiles refused before anything is sent, and a replacement uploaded with its progress;
// then the same screen in Mongolian.
describe('an administrator replaces a project basemap', () => {
  let server: RunningServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer({ demo: true, readyTimeoutMs: 170_000 });
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the current one, refuses a wrong file, uploads a new one and the members get it', async () => {
    const demo = await readFile(join(repoRoot, 'templates/basemaps/demo.pmtiles'));
    const member = await apiLogin(server);
    const project = await demoProjectOf(member);
    const before = await member.get<{ sha256: string; bytes: number }>(`/projects/${project.id}/basemap`);

    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-US' });
    const page = await context.newPage();
    collectPageErrors(page, pageErrors);
    await signIn(page, server, 'admin');
    await enrolAuthenticator(page);
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('link', { name: 'Basemap', exact: true }).click();
    await page.getByRole('combobox', { name: /^Project/ }).selectOption({ label: demoProject });

    const current = page.locator('.basemap-admin__current');
    await expect.poll(() => current.locator('[data-fact="size"]').textContent(), { timeout: 30_000 }).toMatch(/MB$/);
    // The demo basemap covers the two demo areas: Bayanzürkh (Ulaanbaatar) and Port Moresby.
    expect(await current.locator('[data-fact="bounds"]').textContent()).toMatch(
      /^longitude 106\.\d+ to 151\.\d+, latitude -9\.\d+ to 47\.\d+$/,
    );
    expect(await current.locator('[data-fact="zooms"]').textContent()).toMatch(/^\d+ to 14$/);

    const file = page.locator('input[name="basemap"]');
    await file.setInputFiles({
      name: 'roads.mbtiles',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(300),
    });
    await page.getByRole('alert').filter({ hasText: 'This file is not a PMTiles archive of version 3.' }).waitFor();

    const replacement = Buffer.concat([demo, Buffer.from('a replacement with trailing bytes')]);
    await file.setInputFiles({ name: 'bayanzurkh.pmtiles', mimeType: 'application/vnd.pmtiles', buffer: replacement });
    await page.locator('.admin-add [data-fact="zooms"]').waitFor();
    await page.getByRole('button', { name: 'Replace the basemap' }).click();
    await page.getByText('The basemap is stored.').waitFor({ timeout: 60_000 });
    if (screenshots) await page.screenshot({ path: `${screenshots}/basemap-admin.png`, fullPage: true });

    const after = await member.get<{ sha256: string; bytes: number }>(`/projects/${project.id}/basemap`);
    expect(after.bytes).toBe(replacement.length);
    expect(after.sha256).not.toBe(before.sha256);

    // In Mongolian: every word but the names (the project's, the archive's own, the file format's).
    await page.getByLabel('Language').selectOption('mn');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('mn');
    await page.getByText('Суурь зураг хадгалагдлаа.', { exact: false }).waitFor();
    const archiveName =
      (await current
        .locator('[data-fact="name"]')
        .textContent()
        .catch(() => null)) ?? '';
    await expectScreenInMongolian(page, 'basemap screen', [
      demoProject,
      'Demo administrator',
      archiveName,
      'PMTiles',
      'bayanzurkh.pmtiles',
    ]);
    await page.getByLabel('Хэл').selectOption('en');
    await context.close();
    expect(pageErrors).toEqual([]);
  }, 240_000);
});
