import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { repoRoot, startServer, type RunningServer } from './server.js';
import {
  apiLogin,
  at,
  collectPageErrors,
  demoProject,
  enrolAuthenticator,
  demoProjectOf,
  publishWithCli,
  signIn,
  submitXml,
} from './steps.js';

// The registration form's published version, as templates/form-versions.json lists it.
const registrationVersion = (
  JSON.parse(readFileSync(new URL('../templates/form-versions.json', import.meta.url), 'utf8')) as Record<
    string,
    { version: string }
  >
)['mn_household_registration']?.version;

// Review and cleaning (issue 12): the analyst opens the household registrations, marks one as
// having issues with a comment, and after the field worker's edit sees it "Edited" with what
// the edit changed, under the form's own question labels, in English and in Mongolian.

const formFile = join(repoRoot, 'templates/mongolia-social-protection/forms/household_registration.xlsx');

function registration(r: { instanceId: string; entityId: string; income: string; deprecatedId?: string }): string {
  return `<data xmlns:jr="http://openrosa.org/javarosa" id="mn_household_registration" version="${registrationVersion}">
  <start>2026-03-01T09:00:00.000+08:00</start><end>2026-03-01T09:20:00.000+08:00</end><today>2026-03-01</today><username>fieldworker</username>
  <consent>yes</consent>
  <head><head_family_name>Боржигин</head_family_name><head_fathers_name>Батын</head_fathers_name><head_given_name>Ганзориг</head_given_name>
    <head_register_number>УК85032715</head_register_number><head_dob>1985-03-27</head_dob><head_age>40</head_age><head_age_note/>
    <head_sex>male</head_sex><head_phone>99112233</head_phone></head>
  <address><aimag>MN11</aimag><soum>MN1110</soum><bag>MN111051</bag><address_detail>12-р байр</address_detail><dwelling_type/><location/></address>
  <household_size>1</household_size><children_count>0</children_count><elderly_count>0</elderly_count>
  <situation><vulnerability/><needs>food</needs><monthly_income>${r.income}</monthly_income><notes/></situation>
  <registration_date>2026-03-01</registration_date><case_status>open</case_status>
  <meta><instanceID>${r.instanceId}</instanceID>${r.deprecatedId === undefined ? '' : `<deprecatedID>${r.deprecatedId}</deprecatedID>`}<instanceName>Б. Ганзориг</instanceName>
    <entity dataset="cases" id="${r.entityId}" create="1"><label>Б. Ганзориг</label></entity></meta>
</data>`;
}

describe('an analyst reviews household registrations', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startServer({ demo: true });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    page = await context.newPage();
    collectPageErrors(page, errors);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('marks a registration, comments, and sees the field worker’s edit with its changes', async () => {
    const fieldworker = await apiLogin(server, 'fieldworker');
    const project = await demoProjectOf(fieldworker);
    const forms = await fieldworker.get<{ items: { formId: string }[] }>(`/projects/${project.id}/forms`);
    if (!forms.items.some((f) => f.formId === 'mn_household_registration')) {
      expect(await publishWithCli(server, formFile, project.slug)).toContain('Published mn_household_registration');
    }
    const original = `uuid:${randomUUID()}`;
    const entityId = randomUUID();
    await submitXml(
      server,
      fieldworker,
      project.id,
      registration({ instanceId: original, entityId, income: '450000' }),
    );

    await signIn(page, server, 'analyst');
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    await page.getByRole('link', { name: new RegExp(demoProject) }).click();
    await page.getByRole('link', { name: 'Review submissions' }).click();
    await page.getByRole('heading', { name: 'Review submissions' }).waitFor();
    await page.getByLabel('Form', { exact: true }).selectOption('mn_household_registration');
    await page.getByLabel('Review state', { exact: true }).selectOption('received');
    // Its own row: the demo's registrations are listed too.
    const row = page.locator(`tbody tr[data-instance-id="${original}"]`);
    await row.waitFor();
    // The analyst is not shown who sent it, nor the household's names.
    await expect.poll(() => row.textContent()).toContain('Not shown to your role');
    await row.getByRole('button', { name: 'Open' }).click();
    const panel = page.getByRole('complementary');
    await panel.getByText('Review state: Received').waitFor();
    expect((await panel.textContent()) ?? '').not.toContain('Ганзориг');
    await panel.getByRole('button', { name: 'Has issues' }).click();
    await panel.getByText('Review state: Has issues').waitFor();
    await panel.getByLabel('Comment').fill('Орлогыг шалгана уу');
    await panel.getByRole('button', { name: 'Add comment' }).click();
    await panel.getByText('Орлогыг шалгана уу').waitFor();

    // The field worker corrects the income: a new instance that replaces the original.
    const edit = `uuid:${randomUUID()}`;
    await submitXml(
      server,
      fieldworker,
      project.id,
      registration({ instanceId: edit, entityId, income: '520000', deprecatedId: original }),
    );
    await page.getByLabel('Review state', { exact: true }).selectOption('edited');
    await page
      .locator(`tbody tr[data-instance-id="${original}"], tbody tr[data-instance-id="${edit}"]`)
      .first()
      .getByRole('button', { name: 'Open' })
      .click();
    await panel.getByText('Review state: Edited').waitFor();
    const diff = panel.locator('.review__diff tbody tr');
    await expect.poll(() => diff.count()).toBe(1);
    const cells = (await diff.first().locator('td').allTextContents()).map((c) => c.trim());
    expect(cells[1]).toBe('450000');
    expect(cells[2]).toBe('520000');
    // The question is named by the form's label, not its name.
    expect(cells[0]).not.toContain('monthly_income');
    expect(cells[0]?.length).toBeGreaterThan(0);
    // The comment made on the original stays with the submission.
    await panel.getByText('Орлогыг шалгана уу').waitFor();

    const reviewer = await apiLogin(server, 'analyst');
    const one = await reviewer.get<{ versions: { instanceId: string }[] }>(
      `/projects/${project.id}/forms/mn_household_registration/submissions/${encodeURIComponent(original)}`,
    );
    expect(one.versions.map((v) => v.instanceId)).toEqual([original, edit]);

    await page.getByLabel('Language').selectOption('mn');
    await page.getByRole('heading', { name: 'Маягт хянах' }).waitFor();
    await panel.getByText('Хяналтын төлөв: Зассан').waitFor();
    const mongolian = (await panel.textContent()) ?? '';
    expect(mongolian).not.toMatch(/Review state|Edited|Before|After/);
    expect(errors).toEqual([]);
  });
  it('a supervisor corrects a registration in the form itself and sees the edit beside the original, by choice labels', async () => {
    const fieldworker = await apiLogin(server, 'fieldworker');
    const project = await demoProjectOf(fieldworker);
    const original = `uuid:${randomUUID()}`;
    await submitXml(
      server,
      fieldworker,
      project.id,
      registration({ instanceId: original, entityId: randomUUID(), income: '310000' }),
    );

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const supervisorPage = await context.newPage();
    collectPageErrors(supervisorPage, errors);
    await signIn(supervisorPage, server, 'supervisor');
    await enrolAuthenticator(supervisorPage);
    await supervisorPage.getByRole('link', { name: new RegExp(demoProject) }).click();
    await supervisorPage.getByRole('link', { name: 'Review submissions' }).click();
    await supervisorPage.getByLabel('Form', { exact: true }).selectOption('mn_household_registration');
    await supervisorPage.getByLabel('Review state', { exact: true }).selectOption('received');
    await supervisorPage
      .locator(`tbody tr[data-instance-id="${original}"]`)
      .getByRole('button', { name: 'Open' })
      .click();
    const panel = supervisorPage.getByRole('complementary');
    await panel.getByText('Review state: Received').waitFor();
    // Select answers read as the form's choice labels, not the stored values.
    const answer = (label: RegExp) =>
      panel.locator('.review__answer', { has: supervisorPage.locator('dt', { hasText: label }) }).locator('dd');
    await expect.poll(() => answer(/^Sex/).first().textContent()).toBe('Male');
    expect(await answer(/needs/i).first().textContent()).toBe('Food and nutrition');
    expect(await panel.locator('.review__answers').textContent()).not.toMatch(/\bmale\b|\bfood\b/);

    // Edit in the same form UI: the stored answers are there; change the income and add a need.
    await panel.getByRole('link', { name: 'Edit answers' }).click();
    await supervisorPage.getByText('You are editing a submission.').waitFor({ timeout: 30_000 });
    await supervisorPage.getByRole('button', { name: /Household situation/ }).click();
    const income = supervisorPage.locator(`${at('/data/situation/monthly_income')} input`);
    expect(await income.inputValue()).toBe('310000');
    await income.fill('380000');
    await supervisorPage.locator(`${at('/data/situation/needs')} input[value="heating_winter"]`).check();
    await supervisorPage.getByRole('button', { name: 'Finalize' }).click();

    // Back on the review screen with the new version open: "Edited", and what changed, by labels.
    await supervisorPage.getByText('The edit was saved.').waitFor({ timeout: 30_000 });
    await panel.getByText('Review state: Edited').waitFor();
    const rows = panel.locator('.review__diff tbody tr');
    await rows.first().waitFor();
    // Besides the two answers: what the engine sets again on an edit, as ODK's Web Forms do (the
    // form's `end` and `today`, and the age calculated from today) — never an answer left alone.
    const changes: string[][] = await rows.evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent?.trim() ?? '')),
    );
    expect(changes.length).toBeLessThanOrEqual(5);
    expect(changes.map((c) => c[0])).not.toContain('Sex');
    expect(changes).toContainEqual([expect.stringMatching(/income/i), '310000', '380000']);
    expect(changes).toContainEqual([
      expect.stringMatching(/needs/i),
      'Food and nutrition',
      expect.stringMatching(/^Food and nutrition, \S/),
    ]);
    if (process.env['OUTPOST_E2E_SCREENSHOTS']) {
      await supervisorPage.screenshot({
        path: `${process.env['OUTPOST_E2E_SCREENSHOTS']}/review-edit.png`,
        fullPage: true,
      });
    }

    // The original stays stored as the first version; the edit replaced it.
    const api = await apiLogin(server, 'analyst');
    const one = await api.get<{ versions: { instanceId: string; deprecatedId: string | null }[] }>(
      `/projects/${project.id}/forms/mn_household_registration/submissions/${encodeURIComponent(original)}`,
    );
    expect(one.versions).toHaveLength(2);
    expect(one.versions[0]?.instanceId).toBe(original);
    expect(one.versions[1]?.deprecatedId).toBe(original);

    // The analyst, shown answers redacted, is not offered the edit, nor given the instance.
    const detail = await api.get<{ mayEdit: boolean }>(
      `/projects/${project.id}/forms/mn_household_registration/submissions/${encodeURIComponent(original)}`,
    );
    expect(detail.mayEdit).toBe(false);
    const refused = await fetch(
      `${server.url}/api/v1/projects/${project.id}/forms/mn_household_registration/submissions/${encodeURIComponent(original)}/edit`,
      { headers: api.headers },
    );
    expect(refused.status).toBe(403);
    await context.close();
    expect(errors).toEqual([]);
  });
});
