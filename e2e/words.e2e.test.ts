// Words, not codes: every screen of the field worker and the administrator read in Mongolian in a
// browser whose own language is English, dates typed in the app's order, and the layouts a first
// user meets on a tablet held upright (800 × 1280) and on its side (1280 × 800).
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, quietChromiumFlags } from './chromium.mjs';
import { expectScreenInMongolian, notMongolian, visibleTexts } from './screenText.js';
import { templates } from '@outpost/templates';
import { repoRoot, startServer, type RunningServer } from './server.js';
import {
  apiLogin,
  at,
  collectPageErrors,
  demoProject,
  demoProjectOf,
  publishWithCli,
  signIn,
  type ApiSession,
} from './steps.js';

const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];

/** Publishes a template's form into the running server unless the demo already has it. */
async function ensurePublished(
  server: RunningServer,
  api: ApiSession,
  project: { id: string; slug: string },
  file: string,
  formId: string,
): Promise<void> {
  const forms = await api.get<{ items: { formId: string }[] }>(`/projects/${project.id}/forms`);
  if (forms.items.some((f) => f.formId === formId)) return;
  expect(await publishWithCli(server, join(repoRoot, file), project.slug)).toContain(`Published ${formId}`);
}

/** Whether anything on the page is wider than the window: a table running off the side. */
async function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = Array.from(document.querySelectorAll('main *')).filter(
      (e) => e.getBoundingClientRect().right > width + 1,
    );
    return [
      ...(document.documentElement.scrollWidth > width
        ? [`page ${document.documentElement.scrollWidth} > ${width}`]
        : []),
      ...wide
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className} ends at ${e.getBoundingClientRect().right}`),
    ];
  });
}

describe('words instead of codes, and the small things a first user notices', () => {
  let server: RunningServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  const newPage = async (viewport: { width: number; height: number }): Promise<Page> => {
    const context = await browser.newContext({ viewport, locale: 'en-US' });
    const page = await context.newPage();
    collectPageErrors(page, pageErrors);
    return page;
  };
  const shoot = async (page: Page, name: string): Promise<void> => {
    if (screenshots) await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
  };

  beforeAll(async () => {
    server = await startServer({ demo: true });
    const api = await apiLogin(server);
    const project = await demoProjectOf(api);
    const forms = 'templates/mongolia-social-protection/forms';
    await ensurePublished(server, api, project, `${forms}/household_registration.xlsx`, 'mn_household_registration');
    // An English browser: its own date inputs would show mm/dd/yyyy.
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--lang=en-US', ...quietChromiumFlags],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  // The demo users' names are data, written in English by whoever added them.
  const worker = 'Bat-Erdene Oyunaa (social worker)';
  const admin = 'Demo administrator';

  it('shows the field worker every screen in Mongolian, dates in the app’s order', async () => {
    const page = await newPage({ width: 1280, height: 800 });
    await signIn(page, server);
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    // The check can fail: the English screen is caught.
    expect(notMongolian(await visibleTexts(page))).toEqual(expect.arrayContaining(['Your projects']));

    await page.getByLabel('Language').selectOption('mn');
    await page.getByRole('heading', { name: 'Таны төслүүд' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('mn');
    // Project names are the projects' own (the demo's are in English, as their owners named them).
    await page.locator('.project-card__name').first().waitFor();
    const projectNames = await page.locator('.project-card__name').allTextContents();
    await expectScreenInMongolian(page, 'project picker', [...projectNames, worker]);

    await page.getByRole('link', { name: new RegExp(demoProject) }).click();
    await page.getByRole('heading', { name: 'Кейсүүд' }).waitFor();
    await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(0);
    // Statuses and areas in words: no "in_progress", and the area names of the app's language.
    await expect.poll(() => page.locator('tbody td').first().textContent()).not.toMatch(/_/);
    await expectScreenInMongolian(page, 'case list', [demoProject, worker]);
    await shoot(page, 'words-cases-mn');

    await page.getByRole('link', { name: 'Маягт бөглөх' }).click();
    await page.getByRole('heading', { name: 'Маягтууд' }).waitFor();
    await page.locator('.form-card').first().waitFor();
    await expectScreenInMongolian(page, 'form list', [demoProject, worker]);

    await page.getByRole('link', { name: 'Шинээр бөглөх: Өрхийн бүртгэл' }).click();
    await page.getByRole('heading', { name: 'Өрхийн бүртгэл', level: 1 }).waitFor({ timeout: 30_000 });
    await page.locator(`${at('/data/consent')} input[value="yes"]`).check();
    await page.getByRole('button', { name: 'Дараах' }).click();
    await page.getByRole('heading', { name: 'Өрхийн тэргүүн', level: 2 }).waitFor();

    // The date of birth: typed year first, as Mongolian writes it, whatever the browser's language.
    const dob = page.locator(`${at('/data/head/head_dob')} input`);
    expect(await page.locator('.form-page input[type="date"]').count()).toBe(0);
    expect(await dob.getAttribute('placeholder')).toBe('оооо-сс-өө');
    await dob.fill('1985-3-27');
    await dob.blur();
    await expect.poll(() => dob.inputValue()).toBe('1985-03-27');
    await dob.fill('03/27/1985');
    await dob.blur();
    expect(await dob.getAttribute('aria-invalid')).toBe('true');
    // Typed key by key, "1985-3-1" on the way to the 15th is not taken for the 1st.
    await dob.fill('');
    await dob.pressSequentially('1985-3-15');
    await dob.blur();
    await expect.poll(() => dob.inputValue()).toBe('1985-03-15');
    expect(await dob.getAttribute('aria-invalid')).toBe('false');
    await expectScreenInMongolian(page, 'form page', [demoProject, worker]);
    await shoot(page, 'words-form-date-mn');

    // The calendar speaks the app's language, not the browser's (Chromium's own date popup would
    // follow --lang=en-US): Mongolian month and weekday names, the day picked written year first.
    await page.locator(at('/data/head/head_dob')).getByRole('button', { name: 'Хуанли' }).click();
    const calendar = page.getByRole('dialog', { name: 'Огноо сонгох' });
    await calendar.waitFor();
    expect(await calendar.locator('.calendar__month').textContent()).toBe('1985 оны 3-р сар');
    expect(await calendar.locator('th').allTextContents()).toEqual(['Да', 'Мя', 'Лх', 'Пү', 'Ба', 'Бя', 'Ня']);
    await calendar.getByRole('button', { name: 'Дараагийн сар' }).click();
    await expect.poll(() => calendar.locator('.calendar__month').textContent()).toBe('1985 оны 4-р сар');
    await expectScreenInMongolian(page, 'calendar', [demoProject, worker]);
    await shoot(page, 'words-calendar-mn');
    await calendar.getByRole('button', { name: '1985-04-02' }).click();
    await expect.poll(() => dob.inputValue()).toBe('1985-04-02');
    expect(await calendar.count()).toBe(0);
    expect(await page.locator('input[type="date"]').count()).toBe(0);

    await page.locator('.sync-indicator').click();
    await page.getByRole('heading', { name: 'Синк', level: 1 }).waitFor();
    await expectScreenInMongolian(page, 'sync screen', [demoProject, worker]);
    expect(pageErrors).toEqual([]);
  });

  it('shows the administrator every screen in Mongolian, the users fitting an upright tablet', async () => {
    const page = await newPage({ width: 800, height: 1280 });
    await signIn(page, server, 'admin');
    await page.getByRole('heading', { name: 'Set up two-step sign-in' }).waitFor();
    const secret = ((await page.locator('.enrolment__secret').textContent()) ?? '').replace(/\s/g, '');
    const code = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate();
    await page.getByLabel('6-digit code').fill(code);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    await page.getByLabel('Language').selectOption('mn');

    // An administrator who is in no project is told so, not "Your role: null".
    await page.getByRole('heading', { name: 'Таны төслүүд' }).waitFor();
    await expect.poll(() => page.locator('.project-card__role').first().textContent()).toContain('үүрэггүй');
    await page.locator('.project-card__name').first().waitFor();
    const projectNames = await page.locator('.project-card__name').allTextContents();
    await expectScreenInMongolian(page, 'administrator’s projects', [...projectNames, admin]);

    await page.getByRole('link', { name: 'Удирдлага' }).click();
    await page.getByRole('link', { name: 'Хэрэглэгчид' }).click();
    await page.locator('tr[data-username="fieldworker"]').waitFor();
    expect(await horizontalOverflow(page)).toEqual([]);
    const userData = await page.locator('.admin-table__name, .admin-table__sub').allTextContents();
    // Each user's projects and areas are data: project names as their owners wrote them, and the
    // demo's PNG areas, which have no Mongolian name, in the language they have.
    const projectsOfUsers = await page.locator('.user-projects__project').allTextContents();
    const areasWithoutMongolian = Object.values(templates)
      .flatMap((t) => t.areas)
      .filter((a) => a.name.mn === undefined)
      .map((a) => a.name.en ?? '');
    await expectScreenInMongolian(page, 'users', [...userData, ...projectsOfUsers, ...areasWithoutMongolian, admin]);
    await shoot(page, 'words-users-800-mn');

    await page.getByRole('link', { name: 'Төхөөрөмжүүд' }).click();
    await page.getByText(/Цуцалсан төхөөрөмжүүдийг харуулах/).waitFor();
    expect(await horizontalOverflow(page)).toEqual([]);
    const deviceData = await page.locator('.admin-table__name, tbody td:nth-child(2)').allTextContents();
    await expectScreenInMongolian(page, 'devices', [...deviceData, ...userData, admin]);

    await page.getByRole('link', { name: 'Маягтууд' }).click();
    await page.locator('main select, main form').first().waitFor();
    expect(await horizontalOverflow(page)).toEqual([]);
    // Form ids stand under each title, as usernames do under names: what the XLSForm's settings say.
    await page.locator('tr[data-form-id]').first().waitFor();
    const formsData = await page
      .locator('main select option:checked, .admin-table__name, .admin-table__sub')
      .allTextContents();
    await expectScreenInMongolian(page, 'forms administration', [...formsData, ...userData, admin]);

    await page.getByRole('link', { name: 'Аудитын бүртгэл' }).click();
    await page.locator('tbody tr[data-seq]').first().waitFor();
    // Newest first: the administrator's own sign-in is on top, not the seed's first entry.
    const seqs = await page
      .locator('tbody tr[data-seq]')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq'))));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    await page.getByLabel('Харуулах').selectOption('auth.');
    const actions = () =>
      page.locator('tbody tr[data-action]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action') ?? ''));
    // Only sign-in actions once the filter applies, the enrolment among them.
    await expect.poll(async () => (await actions()).every((a) => a.startsWith('auth.'))).toBe(true);
    expect(await actions()).toContain('auth.totp-enrolled');
    const subjects = await page.locator('tbody td:nth-child(3), tbody td:nth-child(5)').allTextContents();
    await expectScreenInMongolian(page, 'audit', [...subjects, ...userData, admin]);
    expect(await horizontalOverflow(page)).toEqual([]);
    await shoot(page, 'words-audit-800-mn');
    expect(pageErrors).toEqual([]);
  });

  it('keeps every step of a seven-step form in sight on a tablet on its side', async () => {
    const api = await apiLogin(server);
    const projects = await api.get<{ items: { id: string; slug: string; name: string }[] }>('/projects');
    const png = projects.items.find((p) => p.slug === 'png-pa');
    if (png === undefined) throw new Error('the field worker is not in the PNG demo project');
    await ensurePublished(server, api, png, 'templates/png-protected-areas/forms/incident.xlsx', 'png_incident');

    const page = await newPage({ width: 1280, height: 800 });
    await signIn(page, server);
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    await page.getByRole('link', { name: new RegExp(png.name) }).click();
    await page.getByRole('link', { name: 'Fill a form' }).click();
    await page.getByRole('link', { name: 'New: Illicit activity incident' }).click();
    const steps = page.locator('.form-steps__step');
    await expect.poll(() => steps.count(), { timeout: 30_000 }).toBe(7);
    const outOfSight = await steps.evaluateAll((all) =>
      all
        .filter((s) => {
          const box = s.getBoundingClientRect();
          return box.left < 0 || box.right > document.documentElement.clientWidth || box.width === 0;
        })
        .map((s) => s.textContent),
    );
    expect(outOfSight).toEqual([]);
    await shoot(page, 'words-incident-steps-1280');
  });
});
