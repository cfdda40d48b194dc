import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { repoRoot, startServer, type RunningServer } from './server.js';
import {
  apiLogin,
  at,
  cliInServer,
  collectPageErrors,
  demoProject,
  demoProjectOf,
  publishWithCli,
  signIn,
} from './steps.js';

const visitForm = join(repoRoot, 'templates/mongolia-social-protection/forms/visit.xlsx');
const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];
const picker = at('/data/case_id');

/** Publishes the visit form into the running server, unless the demo already has it. */
async function publishVisitForm(server: RunningServer): Promise<void> {
  const api = await apiLogin(server);
  const project = await demoProjectOf(api);
  const forms = await api.get<{ items: { formId: string }[] }>(`/projects/${project.id}/forms`);
  if (forms.items.some((f) => f.formId === 'mn_visit')) return;
  expect(await publishWithCli(server, visitForm, project.slug)).toContain('Published mn_visit');
}

describe('choosing the household of a visit', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer({ demo: true });
    await publishVisitForm(server);
    // The demo field worker sees one khoroo (a handful of households); the picker is about the
    // long list a worker of the whole district meets, so she is given the whole project here.
    await cliInServer(server, [
      'member',
      'add',
      '--project',
      'bayanzurkh',
      '--user',
      'fieldworker',
      '--role',
      'fieldworker',
    ]);
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page = await context.newPage();
    collectPageErrors(page, pageErrors);
    await signIn(page, server);
    await page.getByRole('link', { name: new RegExp(demoProject) }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    // The list reloads when the first sync ends; wait for it so the rows stay put.
    await page.locator('.sync-indicator', { hasText: /^Synced/ }).waitFor({ timeout: 60_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('starts a visit from a case with the household already chosen', async () => {
    const row = page.locator('tr.case-row').nth(2);
    const caseId = await row.getAttribute('data-case-id');
    const label = (await row.locator('th').textContent())?.trim() ?? '';
    expect(caseId).toBeTruthy();

    await row.getByText('Record…').click();
    if (screenshots) await page.screenshot({ path: `${screenshots}/case-follow-up-menu.png` });
    await row.locator('a[href*="/forms/mn_visit/"]').click();
    await page.locator(picker).waitFor({ timeout: 30_000 });

    // The case's radio is the one chosen and the only one shown, with its name, khoroo and
    // register number; typing would bring the others.
    const chosen = page.locator(`${picker} input[value="${caseId}"]`);
    await expect.poll(() => chosen.isChecked()).toBe(true);
    expect(await page.locator(`${picker} label.choice`).count()).toBe(1);
    const choice = page.locator(`${picker} label.choice`, { has: page.locator(`input[value="${caseId}"]`) });
    expect(await choice.locator('.choice__text > span').first().textContent()).toBe(label);
    expect(await choice.locator('.choice__details').textContent()).toMatch(/^Khoroo \d+ · [А-ЯӨҮЁ]{2}\d{8}$/);
    if (screenshots) await page.screenshot({ path: `${screenshots}/visit-from-case.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('narrows the household picker of a visit started blank as the worker types', async () => {
    // Back to the case list (a reload would lock the device's data), then the form list.
    await page.goBack();
    await page.getByRole('link', { name: 'Fill a form' }).click();
    await page.locator('[data-form-id="mn_visit"] a').click();
    await page.locator(picker).waitFor({ timeout: 30_000 });

    const choices = page.locator(`${picker} label.choice`);
    // Nothing chosen; a long list shows its first matches and says how many there are.
    expect(await page.locator(`${picker} input:checked`).count()).toBe(0);
    const total = Number(/of (\d+)/.exec((await page.locator(`${picker} .choice-count`).textContent()) ?? '')?.[1]);
    expect(total).toBeGreaterThan(12);
    expect(await choices.count()).toBeLessThan(total);

    // Part of the first household's given name ("Б. Болд" → "олд").
    const first = ((await choices.first().locator('.choice__text > span').first().textContent()) ?? '').trim();
    const part = first.slice(-3);
    await page.locator(picker).getByRole('searchbox', { name: 'Filter the choices' }).fill(part.toUpperCase());
    await expect.poll(async () => (await choices.count()) < total).toBe(true);
    const names = await choices.locator('.choice__text > span:first-child').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name.toLocaleLowerCase()).toContain(part.toLocaleLowerCase());
    if (screenshots) await page.screenshot({ path: `${screenshots}/visit-picker-filtered.png`, fullPage: true });

    // The register number narrows it to one household.
    const details = (await choices.first().locator('.choice__details').textContent()) ?? '';
    const register = details.split(' · ').pop() ?? '';
    await page.locator(picker).getByRole('searchbox', { name: 'Filter the choices' }).fill(register.slice(0, 8));
    await expect.poll(() => choices.count()).toBe(1);
    await choices.first().locator('input').check();
    expect(await page.locator(`${picker} input:checked`).count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it('speaks Mongolian in Mongolian mode: khoroo names and the picker’s own words', async () => {
    await page.locator('header select[name="language"]').selectOption('mn');
    const search = page.locator(picker).getByRole('searchbox', { name: 'Сонголтоос хайх' });
    await search.fill('');
    const details = page.locator(`${picker} .choice__details`);
    await expect.poll(() => details.first().textContent()).toMatch(/^\d+-р хороо · [А-ЯӨҮЁ]{2}\d{8}$/);
    await expect.poll(() => page.locator(`${picker} .choice-count`).textContent()).toMatch(/^Нийт \d+, харуулж буй 1:/);
    await search.fill('zzzz');
    await expect
      .poll(() => page.locator(`${picker} .choice-count`).textContent())
      .toBe('Бичсэнтэй тохирох сонголт олдсонгүй');
    expect(pageErrors).toEqual([]);
  });
});
