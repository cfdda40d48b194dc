import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { expectScreenInMongolian, notMongolian } from './screenText.js';
import { startServer, type RunningServer } from './server.js';
import {
  apiLogin,
  cliInServer,
  collectPageErrors,
  demoPassword,
  demoProject,
  demoProjectOf,
  enrolAuthenticator,
  signIn,
  unlock,
} from './steps.js';

// A supervisor finds a household registered twice under "Possible duplicates" on the case list,
// merges the newer registration into the older, undoes it there, merges again, opens the merged
// registration's page from a bookmark (it says where the case went and leads there) and undoes it
// from the surviving case's page (issue 12 point 2). In Mongolian: the duplicates, a merged case's
// page, and the lists of the PNG project (several lists) named in words, never `protected_areas`.

const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];
const compared = [
  'head_family_name',
  'head_fathers_name',
  'head_given_name',
  'head_register_number',
  'head_dob',
  'head_phone',
  'aimag',
  'soum',
  'bag',
];

describe('a supervisor merges a duplicate case and undoes the merge', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let original = '';
  let copy = '';
  let label = '';
  let projectId = '';
  const pageErrors: string[] = [];
  const shot = async (name: string) => {
    if (screenshots) await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
  };
  const pair = () => page.locator(`.duplicate-pair[data-pair="${original}/${copy}"]`);

  beforeAll(async () => {
    server = await startServer({ demo: true, readyTimeoutMs: 180_000 });
    const api = await apiLogin(server);
    const project = await demoProjectOf(api);
    projectId = project.id;
    const listed = await api.get<{ items: { id: string; label: string }[] }>(
      `/projects/${project.id}/cases?list=cases&limit=1`,
    );
    const first = listed.items[0];
    if (first === undefined) throw new Error('the field worker has no case');
    original = first.id;
    label = first.label;
    const detail = await api.get<{ properties: Record<string, string> }>(`/projects/${project.id}/cases/${original}`);
    // The office registered the same household again from a paper register.
    const cell = (v: string) => `"${v.replace(/"/g, '""')}"`;
    const register = join(server.dataDir, 'registered-again.csv');
    writeFileSync(
      register,
      `label,${compared.join(',')}\n${cell(label)},${compared.map((p) => cell(detail.properties[p] ?? '')).join(',')}\n`,
    );
    expect(
      await cliInServer(server, ['cases', 'import', '--project', project.slug, '--list', 'cases', register]),
    ).toContain('1 new');
    const again = await api.get<{ items: { id: string }[] }>(`/projects/${project.id}/cases?list=cases&limit=1`);
    copy = again.items[0]?.id ?? '';
    expect(copy).not.toBe(original);

    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page = await context.newPage();
    collectPageErrors(page, pageErrors);
    await signIn(page, server, 'supervisor');
    await page.getByRole('heading', { name: 'Set up two-step sign-in' }).waitFor();
    const secret = ((await page.locator('.enrolment__secret').textContent()) ?? '').replace(/\s/g, '');
    const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
    await page.getByLabel('6-digit code').fill(totp.generate());
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    await page
      .locator('.sync-indicator')
      .filter({ hasText: /^Synced/ })
      .waitFor({ timeout: 90_000 });
    await page.getByRole('link', { name: new RegExp(demoProject) }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists the two registrations side by side with why they look alike, merges and undoes', async () => {
    await page.locator('.duplicate-cases summary', { hasText: 'Possible duplicates' }).click();
    await pair().waitFor({ timeout: 60_000 });
    expect(await pair().locator('.duplicate-pair__why').textContent()).toMatch(/register number: the same/);
    expect(await pair().locator('[data-role="survivor"] strong').textContent()).toBe(label);
    expect(await pair().locator('[data-role="duplicate"] strong').textContent()).toBe(label);
    await shot('possible-duplicates');

    await pair().getByRole('button', { name: 'Merge', exact: true }).click();
    await pair().getByRole('button', { name: 'Merge these cases' }).click();
    await pair()
      .getByRole('status')
      .filter({ hasText: `Merged into ${label}` })
      .waitFor({ timeout: 30_000 });
    await shot('merged');
    await pair().getByRole('button', { name: 'Undo merge' }).click();
    // Undone: the pair is a pair again, ready to merge.
    await pair().getByRole('button', { name: 'Merge', exact: true }).waitFor({ timeout: 30_000 });
  });

  it('merges again and undoes it from the surviving case’s page', async () => {
    await pair().getByRole('button', { name: 'Merge', exact: true }).click();
    await pair().getByRole('button', { name: 'Merge these cases' }).click();
    await pair()
      .getByRole('status')
      .filter({ hasText: `Merged into ${label}` })
      .waitFor({ timeout: 30_000 });
    // The merged registration's page, from a bookmark: where it went, and the way there.
    await page.goto(`${server.url}/projects/${projectId}/cases/${copy}`);
    await unlock(page);
    const notice = page.locator('.case-page__merged');
    await notice.waitFor({ timeout: 60_000 });
    expect(await notice.locator('p').textContent()).toBe(
      `This case was merged into ${label}. Its visits and history are kept on that case.`,
    );
    await shot('merged-case-page');
    await notice.getByRole('link', { name: `Open ${label}` }).click();
    await page.getByRole('heading', { name: label, level: 1 }).waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).pathname).toBe(`/projects/${projectId}/cases/${original}`);
    const merged = page.locator(`.merged-cases li[data-case-id="${copy}"]`);
    await merged.waitFor({ timeout: 60_000 });
    await shot('merged-on-case-page');
    await merged.getByRole('button', { name: 'Undo merge' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${label} is a separate case again` })
      .waitFor({ timeout: 30_000 });
    await expect.poll(() => merged.count(), { timeout: 30_000 }).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('shows the possible duplicates in Mongolian, with no code or English word on screen', async () => {
    await page.locator('select[name="language"]').selectOption('mn');
    await page.getByRole('link', { name: 'Бүх кейс' }).click();
    const duplicates = page.locator('.duplicate-cases');
    if ((await duplicates.getAttribute('open')) === null) await duplicates.locator('summary').click();
    await pair().waitFor({ timeout: 60_000 });
    // Data, not words: the project's name, the household's label and the signed-in supervisor.
    const names = [
      demoProject,
      label,
      ...(await page.locator('.current-user').allTextContents()).flatMap((t) => t.split(/[:,]\s*/)),
    ].map((t) => t.trim());
    await expectScreenInMongolian(page, 'the possible duplicates', names);
    await shot('possible-duplicates-mn');
    expect(pageErrors).toEqual([]);
  });

  it('says in Mongolian where a merged case went, and leads there', async () => {
    await pair().getByRole('button', { name: 'Нэгтгэх', exact: true }).click();
    await pair().getByRole('button', { name: 'Эдгээр кейсийг нэгтгэх' }).click();
    await pair()
      .getByRole('status')
      .filter({ hasText: `${label} кейст нэгтгэсэн` })
      .waitFor({ timeout: 30_000 });
    await page.goto(`${server.url}/projects/${projectId}/cases/${copy}`);
    // The unlock screen, in the language she chose.
    await page.getByRole('heading', { name: 'Түгжээ тайлах' }).waitFor();
    await page.getByLabel('Нууц үг').fill(demoPassword);
    await page.getByRole('button', { name: 'Тайлах', exact: true }).click();
    const notice = page.locator('.case-page__merged');
    await notice.waitFor({ timeout: 60_000 });
    expect(await notice.locator('p').textContent()).toBe(
      `Энэ кейсийг ${label} кейст нэгтгэсэн. Түүний айлчлал, түүх тэр кейст хадгалагдана.`,
    );
    const names = [
      demoProject,
      label,
      ...(await page.locator('.current-user').allTextContents()).flatMap((t) => t.split(/[:,]\s*/)),
    ].map((t) => t.trim());
    await expectScreenInMongolian(page, 'a merged case’s page', names);
    await shot('merged-case-page-mn');
    await notice.getByRole('link', { name: `${label} кейсийг нээх` }).click();
    await page.locator(`.merged-cases li[data-case-id="${copy}"]`).waitFor({ timeout: 60_000 });
    expect(pageErrors).toEqual([]);
  });

  it('names the lists of a project with several in Mongolian words in the duplicates picker', async () => {
    await page.getByRole('link', { name: 'Төслүүд' }).click();
    await page.getByRole('link', { name: /PNG protected areas/ }).click();
    const duplicates = page.locator('.duplicate-cases');
    await duplicates.locator('summary').click();
    const picker = duplicates.getByLabel('Жагсаалт');
    await picker.waitFor({ timeout: 60_000 });
    const options = (await picker.locator('option').allTextContents()).map((t) => t.trim());
    expect(options.sort()).toEqual(['Ажиглалт', 'Зөрчил', 'Тусгай хамгаалалттай газар'].sort());
    await picker.selectOption({ label: 'Ажиглалт' });
    expect(await picker.inputValue()).toBe('observations');
    // The picker and what is said of the report; the pairs themselves are the project's data.
    const words = await duplicates
      .locator(':scope > summary, :scope > label, :scope > p')
      .evaluateAll((elements) => elements.map((e) => (e as HTMLElement).innerText.trim()));
    expect(words.length).toBeGreaterThan(1);
    expect(notMongolian(words)).toEqual([]);
    await shot('possible-duplicates-png-mn');
    expect(pageErrors).toEqual([]);
  });

  it('names the lists in Mongolian words on the register import screen, all of it in Mongolian', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const admin = await context.newPage();
    collectPageErrors(admin, pageErrors);
    try {
      await signIn(admin, server, 'admin');
      await enrolAuthenticator(admin);
      await admin.getByLabel('Language').selectOption('mn');
      await admin.getByRole('link', { name: 'Удирдлага' }).click();
      await admin.getByRole('link', { name: 'Оруулах', exact: true }).click();
      await admin.getByRole('heading', { name: 'Бүртгэл оруулах' }).waitFor({ timeout: 60_000 });
      await admin.getByLabel('Төсөл').selectOption({ label: 'PNG protected areas' });
      const lists = admin.getByLabel('Жагсаалт');
      await expect
        .poll(async () => (await lists.locator('option').allTextContents()).map((t) => t.trim()).sort(), {
          timeout: 60_000,
        })
        .toEqual(['Ажиглалт', 'Зөрчил', 'Тусгай хамгаалалттай газар'].sort());
      await lists.selectOption({ label: 'Тусгай хамгаалалттай газар' });
      expect(await lists.inputValue()).toBe('protected_areas');
      // Data: the projects' names and the signed-in administrator. The register's own words (the
      // header names a file must have, the file types) stay as a file spells them.
      const projects = await admin.getByLabel('Төсөл').locator('option').allTextContents();
      await expectScreenInMongolian(admin, 'the register import', [
        ...projects.map((p) => p.trim()),
        'Demo administrator',
        'admin',
        '"label"',
        '"__id"',
        '.csv',
        '.xlsx',
      ]);
      if (screenshots) await admin.screenshot({ path: `${screenshots}/register-import-mn.png`, fullPage: true });
    } finally {
      await context.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
