import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer } from './server.js';
import { apiLogin, collectPageErrors, demoProject, demoProjectOf, enrolAuthenticator, signIn } from './steps.js';

// A supervisor works on a case from its page (issues 10 and 11): edits a detail, closes and
// reopens the case, and tags it with a category the administrator defined. Each is an edit on the
// version the page shows; the timeline lists each with what made it.

const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];

describe('a supervisor edits, closes, reopens and tags a case on its page', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let projectId = '';
  let caseId = '';
  let label = '';
  /** The case's version before this test: the demo's cases carry their visits and tags already. */
  let base = 0;
  const pageErrors: string[] = [];
  const shot = async (name: string) => {
    if (screenshots) await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
  };
  const top = () => page.locator('.case-timeline__item').first();
  /** Waits until the newest version on the timeline is `version`, made by `action`. */
  const newest = async (version: number, action: string) => {
    await expect.poll(() => top().getAttribute('data-version'), { timeout: 30_000 }).toBe(String(version));
    expect(await top().getAttribute('data-action')).toBe(action);
    expect(await top().getAttribute('data-source')).toBe('edit');
    expect(await top().locator('.case-timeline__source').textContent()).toBe('Edited on the server');
  };

  beforeAll(async () => {
    server = await startServer({ demo: true, readyTimeoutMs: 180_000 });
    const api = await apiLogin(server);
    const project = await demoProjectOf(api);
    projectId = project.id;
    const cases = await api.get<{ items: { id: string; label: string; status: string }[] }>(
      `/projects/${project.id}/cases?list=cases&limit=50`,
    );
    const open = cases.items.find((c) => c.status !== 'closed');
    if (open === undefined) throw new Error('no open case in the demo');
    caseId = open.id;
    label = open.label;
    base = (await api.get<{ version: number }>(`/projects/${project.id}/cases/${open.id}`)).version;
    expect(base).toBeGreaterThanOrEqual(1);
    browser = await launchBrowser();

    // The administrator defines a category of the project's cases.
    const admin = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await signIn(admin, server, 'admin');
    await enrolAuthenticator(admin);
    const status = await admin.evaluate(async (id) => {
      const me = (await (await fetch('/api/v1/me')).json()) as { csrfToken: string };
      const res = await fetch(`/api/v1/projects/${id}/categories/lives_alone`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ names: { en: 'Lives alone', mn: 'Ганцаараа амьдардаг', tpi: 'Stap wanpela' } }),
      });
      return res.status;
    }, projectId);
    expect(status).toBe(201);
    await admin.context().close();

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
    await page.getByRole('searchbox', { name: 'Search cases' }).fill(label);
    await page.getByRole('searchbox', { name: 'Search cases' }).press('Enter');
    await page.locator(`tr.case-row a[href$="/cases/${caseId}"]`).first().click({ timeout: 30_000 });
    await page.getByRole('heading', { name: label, level: 1 }).waitFor({ timeout: 30_000 });
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('edits a detail of the case: a new version from an edit, shown on the page and the timeline', async () => {
    await page.getByRole('button', { name: 'Edit details' }).click();
    const field = page.locator('.case-edit [data-property="address_detail"] input');
    await field.fill('14-р байр, 3 тоот');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => page.locator('.case-properties__row[data-property="address_detail"] dd').textContent(), {
        timeout: 30_000,
      })
      .toBe('14-р байр, 3 тоот');
    await newest(base + 1, 'edit');
    expect(await top().locator('strong').textContent()).toBe('Details edited');
    expect(await top().locator('.case-timeline__changes').textContent()).toContain('14-р байр, 3 тоот');
    await shot('case-edited');
  });

  it('closes the case and reopens it, each on the timeline', async () => {
    await page.getByRole('button', { name: 'Close case' }).click();
    await newest(base + 2, 'close');
    expect(await top().locator('strong').textContent()).toBe('Case closed');
    await expect.poll(() => page.locator('.case-page__status').getAttribute('data-status')).toBe('closed');
    await shot('case-closed');

    await page.getByRole('button', { name: 'Reopen case' }).click();
    await newest(base + 3, 'reopen');
    expect(await top().locator('strong').textContent()).toBe('Case reopened');
    await expect.poll(() => page.locator('.case-page__status').getAttribute('data-status')).toBe('open');
  });

  it('tags the case with the category, shown at the top and on the timeline', async () => {
    await page.locator('.case-categories').getByLabel('Lives alone').check();
    await newest(base + 4, 'tag');
    expect(await top().locator('strong').textContent()).toBe('Categories changed');
    await page.locator('.case-page__categories [data-category="lives_alone"]', { hasText: 'Lives alone' }).waitFor();
    // Every version this supervisor made says it was an edit.
    const sources = await page
      .locator('.case-timeline__item')
      .evaluateAll((items) =>
        items.map((item) => [item.getAttribute('data-version'), item.getAttribute('data-source')]),
      );
    expect(sources.slice(0, 4)).toEqual([4, 3, 2, 1].map((n) => [String(base + n), 'edit']));
    await shot('case-tagged');
    expect(pageErrors).toEqual([]);
  });

  it('assigns the case to a colleague picked from the members who may hold it, then to nobody', async () => {
    const picker = page.getByRole('combobox', { name: /^Assign to/ });
    // The project's members the server would accept for this case, by name (a supervisor sees names).
    await expect.poll(() => picker.locator('option').count(), { timeout: 30_000 }).toBeGreaterThan(2);
    const options = await picker.locator('option').allTextContents();
    const fieldworker = options.find((text) => text.endsWith('(fieldworker)'));
    expect(fieldworker).toBeDefined();
    // The analyst may not hold cases: not offered.
    expect(options.some((text) => text.includes('(analyst)'))).toBe(false);
    await picker.selectOption({ label: fieldworker ?? '' });
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await newest(base + 5, 'assign');
    const api = await apiLogin(server);
    const me = await api.get<{ user: { id: string } }>('/me');
    const assigned = await api.get<{ assigneeId: string | null }>(`/projects/${projectId}/cases/${caseId}`);
    expect(assigned.assigneeId).toBe(me.user.id);

    await picker.selectOption({ label: 'Nobody (unassigned)' });
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await newest(base + 6, 'assign');
    const unassigned = await api.get<{ assigneeId: string | null }>(`/projects/${projectId}/cases/${caseId}`);
    expect(unassigned.assigneeId).toBeNull();
    expect(pageErrors).toEqual([]);
  });
});
