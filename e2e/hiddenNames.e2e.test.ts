import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer } from './server.js';
import { apiLogin, demoProject, demoProjectOf, signIn } from './steps.js';

// The demo's cases are seeded with no form declaring their label: their labels are names, so the
// analyst sees none of them, in the list or through the API, and the screen says so in her
// language instead of showing an empty cell (issue 9).

describe('names the analyst may not see', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServer({ demo: true });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-US' });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('are hidden in the case list, with a note in English and in Mongolian', async () => {
    const fieldworker = await apiLogin(server, 'fieldworker');
    const project = await demoProjectOf(fieldworker);
    const named = await fieldworker.get<{ items: { label: string | null }[] }>(
      `/projects/${project.id}/cases?limit=20`,
    );
    const names = named.items.map((c) => c.label).filter((l): l is string => l !== null && l !== '');
    expect(names.length).toBeGreaterThan(0);

    const analyst = await apiLogin(server, 'analyst');
    const seen = await analyst.get<{ items: { label: string | null }[] }>(`/projects/${project.id}/cases?limit=500`);
    expect(seen.items.length).toBeGreaterThan(0);
    expect(seen.items.every((c) => c.label === null)).toBe(true);

    await signIn(page, server, 'analyst');
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    await page.getByRole('link', { name: new RegExp(demoProject) }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(0);
    const labels = await page.locator('tbody tr th').allTextContents();
    expect(new Set(labels.map((l) => l.trim()))).toEqual(new Set(['Name hidden for your role']));
    const text = (await page.locator('main').textContent()) ?? '';
    expect(names.filter((n) => text.includes(n))).toEqual([]);

    await page.getByLabel('Language').selectOption('mn');
    await page.getByRole('heading', { name: 'Кейсүүд' }).waitFor();
    await expect
      .poll(async () => new Set((await page.locator('tbody tr th').allTextContents()).map((l) => l.trim())))
      .toEqual(new Set(['Таны эрхэд нэр харагдахгүй']));
  });
});
