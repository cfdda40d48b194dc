import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer } from './server.js';
import { expectScreenInMongolian } from './screenText.js';
import { apiLogin, at, cliInServer, collectPageErrors, demoProject, demoProjectOf, signIn } from './steps.js';

const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];
const dayMs = 86_400_000;
const isoDay = (offsetDays: number): string => new Date(Date.now() + offsetDays * dayMs).toISOString().slice(0, 10);

describe('a field worker’s case page, timeline and tasks on a tablet, offline', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let caseId = '';
  let label = '';
  const overdue = isoDay(-5);
  const planned = isoDay(30);
  const pageErrors: string[] = [];
  const indicator = () => page.locator('.sync-indicator');
  const shot = async (name: string) => {
    if (screenshots) await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
  };

  beforeAll(async () => {
    server = await startServer({ demo: true });
    const api = await apiLogin(server);
    const project = await demoProjectOf(api);
    const page1 = await api.get<{ items: { id: string; label: string }[] }>(
      `/projects/${project.id}/cases?list=cases&limit=1`,
    );
    const first = page1.items[0];
    if (first === undefined) throw new Error('the field worker has no case');
    caseId = first.id;
    label = first.label;
    // The office's register says this household's next visit was due five days ago.
    const register = join(server.dataDir, 'next-visits.csv');
    writeFileSync(register, `__id,label,next_visit_date\n${caseId},"${label.replace(/"/g, '""')}",${overdue}\n`);
    expect(
      await cliInServer(server, ['cases', 'import', '--project', project.slug, '--list', 'cases', register]),
    ).toContain('0 new, 1 updated');
    browser = await launchBrowser();
    // A 10-inch tablet held in landscape.
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', isMobile: false });
    page = await context.newPage();
    collectPageErrors(page, pageErrors);
    await signIn(page, server);
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    await indicator()
      .filter({ hasText: /^Synced/ })
      .waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: new RegExp(demoProject) }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists the overdue visit among the tasks, and opens the case with its timeline', async () => {
    await page.getByRole('link', { name: 'Tasks', exact: true }).click();
    await page.getByRole('heading', { name: 'Follow-up tasks' }).waitFor();
    const task = page.locator(`[data-group="overdue"] .task-line[data-kind="visit"][data-case-id="${caseId}"]`);
    await task.waitFor();
    expect(await task.getAttribute('data-kind')).toBe('visit');
    expect(await task.locator('.task-line__when').textContent()).toBe('5 days late');
    await shot('tasks-overdue');

    await task.getByRole('link', { name: label }).click();
    await page.getByRole('heading', { name: label, level: 1 }).waitFor();
    // The office's import is the newest change (the demo seeds its cases without a history before it).
    const items = page.locator('.case-timeline__item');
    await items.first().waitFor();
    expect(await items.first().getAttribute('data-state')).toBe('server');
    expect(await items.first().locator('strong').textContent()).toBe('Change on the server');
    expect(await items.first().locator('.case-timeline__changes').textContent()).toContain(overdue);
    expect(await page.locator('.case-properties__row[data-property="next_visit_date"] dd').textContent()).toBe(overdue);
    // One visit task (the demo's case may also have a review or referral follow-up due).
    expect(await page.locator('.case-page__tasks .task-line[data-kind="visit"]').count()).toBe(1);
    await shot('case-page');
  });

  it('records a visit offline: the task moves to later and the timeline shows the unsent visit', async () => {
    await page.locator('.case-page__actions a[href*="/forms/mn_visit/"]').click();
    const picker = at('/data/case_id');
    await page.locator(picker).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator(`${picker} input[value="${caseId}"]`).isChecked()).toBe(true);
    await context.setOffline(true);
    await expect.poll(() => indicator().textContent()).toMatch(/^Offline/);
    await page.locator(`${at('/data/visit_type')} input[value="phone"]`).check();
    await page.locator(`${at('/data/contact_made')} input[value="yes"]`).check();
    await page.locator(`${at('/data/next_visit_date')} input`).fill(planned);
    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByText('Saved on this device. It will be sent when there is a connection.').waitFor();

    await page.getByRole('link', { name: 'Tasks', exact: true }).click();
    await page.getByRole('heading', { name: 'Follow-up tasks' }).waitFor();
    const later = page.locator(`[data-group="later"] .task-line[data-kind="visit"][data-case-id="${caseId}"]`);
    await later.waitFor();
    expect(await later.getAttribute('data-due')).toBe(planned);
    expect(
      await page.locator(`[data-group="overdue"] .task-line[data-kind="visit"][data-case-id="${caseId}"]`).count(),
    ).toBe(0);
    await shot('tasks-after-visit-offline');

    await later.getByRole('link', { name: label }).click();
    const top = page.locator('.case-timeline__item').first();
    await expect.poll(() => top.getAttribute('data-state')).toBe('unsent');
    expect(await top.locator('.sync-badge').textContent()).toBe('On this device, not sent yet');
    expect(await page.locator('.case-properties__row[data-property="next_visit_date"] dd').textContent()).toBe(planned);
    await shot('case-page-offline');
  });

  it('sends the visit when the connection is back: the timeline shows it from the server, with who and where', async () => {
    await context.setOffline(false);
    await expect.poll(() => indicator().textContent(), { timeout: 60_000 }).toMatch(/^Synced/);
    const top = page.locator('.case-timeline__item').first();
    // The form's own title (the template's is Mongolian only), as the form list shows it, once the
    // timeline is fetched again after the sync.
    await expect.poll(() => top.locator('strong').textContent(), { timeout: 30_000 }).toBe('Айлчлал, хяналт');
    expect(await top.getAttribute('data-state')).toBe('server');
    expect(await top.locator('.case-timeline__who').textContent()).toMatch(/^By .+ on .+/);
    expect(await top.locator('.case-timeline__changes').textContent()).toContain(planned);
    await shot('case-page-synced');
    expect(pageErrors).toEqual([]);
  });

  it('shows the case page and the tasks in Mongolian, with no code or English word on screen', async () => {
    await page.locator('select[name="language"]').selectOption('mn');
    await page.locator('#case-timeline-title', { hasText: 'Түүх' }).waitFor();
    // Data, not words: the worker's name, the device's name, the map's scale in metres, the
    // basemap licence's identifier, and a question label of the template's form (its own words,
    // with the programme's abbreviation).
    const names = [
      demoProject,
      'CC0-1.0',
      'Өрхийн амьжиргааны түвшний оноо (PMT)',
      ...(await page.locator('.current-user, .case-timeline__who').allTextContents()).flatMap((t) =>
        t.split(/[:,]\s*/),
      ),
      ...(await page.locator('.maplibregl-ctrl-scale').allTextContents()),
    ].map((t) => t.trim());
    await expectScreenInMongolian(page, 'the case page', names);
    await shot('case-page-mn');
    await page.getByRole('link', { name: 'Бүх кейс' }).click();
    await page.getByRole('link', { name: 'Ажлууд', exact: true }).click();
    await page.getByRole('heading', { name: 'Дараагийн ажлууд' }).waitFor();
    await expectScreenInMongolian(page, 'the tasks', names);
    await shot('tasks-mn');
    expect(pageErrors).toEqual([]);
  });
});
