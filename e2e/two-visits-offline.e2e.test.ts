import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { repoRoot, startServer, type RunningServer } from './server.js';
import { apiLogin, at, collectPageErrors, demoProject, demoProjectOf, publishWithCli, signIn } from './steps.js';

const visitForm = join(repoRoot, 'templates/mongolia-social-protection/forms/visit.xlsx');
const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];
const picker = at('/data/case_id');

interface CaseView {
  version: number;
  conflict: string | null;
  properties: Record<string, unknown>;
}

describe('two visits to one household on one tablet between syncs', () => {
  let server: RunningServer;
  let browser: Browser;
  let projectId = '';
  const pageErrors: string[] = [];

  const newContext = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    collectPageErrors(page, pageErrors);
    return { context, page };
  };
  const indicator = (page: Page) => page.locator('.sync-indicator');

  beforeAll(async () => {
    server = await startServer({ demo: true });
    const api = await apiLogin(server);
    const project = await demoProjectOf(api);
    projectId = project.id;
    const forms = await api.get<{ items: { formId: string }[] }>(`/projects/${projectId}/forms`);
    if (!forms.items.some((f) => f.formId === 'mn_visit')) {
      expect(await publishWithCli(server, visitForm, project.slug)).toContain('Published mn_visit');
    }
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openVisit(page: Page): Promise<void> {
    await page.getByRole('link', { name: 'Fill a form' }).click();
    await page.locator('[data-form-id="mn_visit"] a').click();
    await page.locator(picker).waitFor({ timeout: 30_000 });
  }

  /** Records a visit in the open form: the household, contact by phone, a need, the status. */
  async function recordVisit(page: Page, label: string, caseId: string, need: string, status: string): Promise<void> {
    await page.locator(picker).getByRole('searchbox', { name: 'Filter the choices' }).fill(label);
    await page.locator(`${picker} input[value="${caseId}"]`).check();
    await page.locator(`${at('/data/visit_type')} input[value="phone"]`).check();
    await page.locator(`${at('/data/contact_made')} input[value="yes"]`).check();
    await page.locator(`${at('/data/needs')} input[value="${need}"]`).check();
    await page.locator(`${at('/data/case_status')} input[value="${status}"]`).check();
    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.getByText('Saved on this device. It will be sent when there is a connection.').waitFor();
  }

  it('sends both visits as one offline branch: no conflict, the case two versions on with the second visit current', async () => {
    const { context, page } = await newContext();
    await signIn(page, server);
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    await expect.poll(() => indicator(page).textContent(), { timeout: 30_000 }).toMatch(/^Synced/);
    await page.getByRole('link', { name: new RegExp(demoProject) }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    const row = page.locator('tr.case-row').first();
    const caseId = (await row.getAttribute('data-case-id')) ?? '';
    const label = (await row.locator('th').textContent())?.trim() ?? '';
    expect(caseId).not.toBe('');

    const api = await apiLogin(server);
    const before = await api.get<CaseView>(`/projects/${projectId}/cases/${caseId}`);

    // The network goes away with the visit form open; both visits are saved without it.
    await openVisit(page);
    await context.setOffline(true);
    await expect.poll(() => indicator(page).textContent()).toMatch(/^Offline/);
    await recordVisit(page, label, caseId, 'food', 'referred');
    await openVisit(page);
    await recordVisit(page, label, caseId, 'cash', 'in_progress');
    await expect.poll(() => indicator(page).textContent()).toBe('Offline · 2 waiting');
    if (screenshots) await page.screenshot({ path: `${screenshots}/two-visits-offline.png`, fullPage: true });

    // Back online: the device sends both and pulls the case back.
    await context.setOffline(false);
    await expect.poll(() => indicator(page).textContent(), { timeout: 60_000 }).toMatch(/^Synced/);

    const after = await api.get<CaseView>(`/projects/${projectId}/cases/${caseId}`);
    expect(after.version).toBe(before.version + 2);
    expect(after.conflict).toBeNull();
    expect(after.properties['case_status']).toBe('in_progress');
    // The second visit started from what the first saved (food) and added cash.
    expect(String(after.properties['needs']).split(' ')).toEqual(expect.arrayContaining(['food', 'cash']));

    // The supervisor's conflict inbox has nothing for this case (or at all).
    const boss = (await newContext()).page;
    await signIn(boss, server, 'supervisor');
    await boss.getByRole('heading', { name: 'Set up two-step sign-in' }).waitFor();
    const secret = ((await boss.locator('.enrolment__secret').textContent()) ?? '').replace(/\s/g, '');
    const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
    await boss.getByLabel('6-digit code').fill(totp.generate());
    await boss.getByRole('button', { name: 'Confirm' }).click();
    await boss.getByRole('heading', { name: 'Your projects' }).waitFor();
    const inbox = await boss.context().request.get(`${server.url}/api/v1/projects/${projectId}/conflicts`);
    expect(inbox.status(), await inbox.text()).toBe(200);
    expect(((await inbox.json()) as { items: unknown[] }).items).toEqual([]);

    expect(pageErrors).toEqual([]);
  });
});
