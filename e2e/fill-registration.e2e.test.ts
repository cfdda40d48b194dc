import { join } from 'node:path';
import { formatRegisterNumber } from '@outpost/templates';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { repoRoot, startServer, type RunningServer } from './server.js';
import {
  apiLogin,
  collectPageErrors,
  at,
  demoPassword,
  demoProject,
  demoProjectOf,
  publishWithCli,
  signIn,
} from './steps.js';

const formFile = join(repoRoot, 'templates/mongolia-social-protection/forms/household_registration.xlsx');
const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];

/**
 * Publishes the registration form into the running server, unless the demo already has it. The
 * field worker's API view tells which project and whether it is there.
 */
async function publishRegistrationForm(server: RunningServer): Promise<void> {
  const api = await apiLogin(server);
  const project = await demoProjectOf(api);
  const forms = await api.get<{ items: { formId: string }[] }>(`/projects/${project.id}/forms`);
  if (forms.items.some((f) => f.formId === 'mn_household_registration')) return;
  expect(await publishWithCli(server, formFile, project.slug)).toContain('Published mn_household_registration');
}

/** The cases the server lists for `q`, as the field worker sees them through the API. */
async function serverCases(server: RunningServer, q: string): Promise<{ label: string }[]> {
  const api = await apiLogin(server);
  const project = await demoProjectOf(api);
  const params = new URLSearchParams({ q, limit: '10', offset: '0' });
  const response = await api.fetch(`/projects/${project.id}/cases?${params}`);
  return ((await response.json()) as { items: { label: string }[] }).items;
}

describe('a field worker registers a household in Mongolian on the tablet', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer({ demo: true });
    await publishRegistrationForm(server);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-US' });
    await context.grantPermissions(['geolocation'], { origin: server.url });
    await context.setGeolocation({ latitude: 47.9213, longitude: 106.9842, accuracy: 12 });
    page = await context.newPage();
    collectPageErrors(page, pageErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('fills the registration form, keeps a draft over a reload, finalizes, and finds the new case', async () => {
    const registerNumber = formatRegisterNumber('УК', '1985-03-27', 'male', 15);

    await signIn(page, server);
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    await page.getByLabel('Language').selectOption('mn');
    await page.getByRole('link', { name: new RegExp(demoProject) }).click();
    await page.getByRole('heading', { name: 'Кейсүүд' }).waitFor();

    await page.getByRole('link', { name: 'Маягт бөглөх' }).click();
    await page.getByRole('heading', { name: 'Маягтууд' }).waitFor();
    await page.getByRole('link', { name: 'Шинээр бөглөх: Өрхийн бүртгэл' }).click();
    await page.getByRole('heading', { name: 'Өрхийн бүртгэл', level: 1 }).waitFor({ timeout: 30_000 });

    // Page 1: consent.
    await page.locator(`${at('/data/consent')} input[value="yes"]`).check();
    await page.getByRole('button', { name: 'Дараах' }).click();

    // Page 2: head of household, with the register-number constraint in Mongolian.
    await page.getByRole('heading', { name: 'Өрхийн тэргүүн', level: 2 }).waitFor();
    await page.locator(`${at('/data/head/head_family_name')} input`).fill('Боржигин');
    await page.locator(`${at('/data/head/head_fathers_name')} input`).fill('Батын');
    await page.locator(`${at('/data/head/head_given_name')} input`).fill('Болд');
    const register = page.locator(`${at('/data/head/head_register_number')} input`);
    await register.fill('УК8503');
    await register.blur();
    await expect
      .poll(() => page.locator(`${at('/data/head/head_register_number')} .question__problem`).textContent())
      .toContain('2 кирилл үсэг, 8 тоо');
    if (screenshots) await page.screenshot({ path: `${screenshots}/form-constraint-mn.png`, fullPage: true });
    await register.fill(registerNumber);
    await register.blur();
    await expect
      .poll(() => page.locator(`${at('/data/head/head_register_number')} .question__problem`).count())
      .toBe(0);
    await page.locator(`${at('/data/head/head_dob')} input`).fill('1985-03-27');
    await page.locator(`${at('/data/head/head_sex')} input[value="male"]`).check();
    await page.locator(`${at('/data/head/head_phone')} input`).fill('99112233');
    await page.getByRole('button', { name: 'Дараах' }).click();

    // Page 3: address and GPS.
    await page.getByRole('heading', { name: 'Хаяг', level: 2 }).waitFor();
    await page.locator(`${at('/data/address/soum')} input[value="MN1110"]`).check();
    await page
      .locator(`${at('/data/address/bag')} input[type="radio"]`)
      .first()
      .check();
    await page.locator(`${at('/data/address/address_detail')} input`).fill('12-р байр, 34 тоот');
    await page.getByRole('button', { name: 'Байршил тогтоох' }).click();
    await expect
      .poll(() => page.locator(`${at('/data/address/location')} .geo__value`).textContent())
      .toContain('± 12.0 м');
    if (screenshots) await page.screenshot({ path: `${screenshots}/form-address-mn.png`, fullPage: true });
    await page.getByRole('button', { name: 'Дараах' }).click();

    // Page 4: one more household member, in the repeat.
    await page.getByRole('heading', { name: 'Өрхийн бусад гишүүд', level: 2 }).waitFor();
    if ((await page.locator(at('/data/members[1]')).count()) === 0) {
      await page.getByRole('button', { name: /Нэмэх/ }).click();
    }
    const member = (name: string): string => `${at(`/data/members[1]/${name}`)}`;
    await page.locator(`${member('member_fathers_name')} input`).fill('Болдын');
    await page.locator(`${member('member_given_name')} input`).fill('Сарнай');
    await page.locator(`${member('member_dob')} input`).fill('2012-06-15');
    await page.locator(`${member('member_sex')} input[value="female"]`).check();
    await page.locator(`${member('member_relationship')} input[value="child"]`).check();
    await page.getByRole('button', { name: 'Дараах' }).click();

    // Page 5: vulnerability categories.
    await page.getByRole('heading', { name: 'Өрхийн нөхцөл байдал', level: 2 }).waitFor();
    await page.locator(`${at('/data/situation/vulnerability')} input[value="poor_household"]`).check();
    await page.locator(`${at('/data/situation/vulnerability')} input[value="informal_worker"]`).check();

    // Save a draft, reload: everything comes back from IndexedDB.
    await page.getByRole('button', { name: 'Ноорог хадгалах' }).click();
    await page.getByText('Ноорог хадгалагдлаа').waitFor();
    expect(new URL(page.url()).searchParams.get('draft')).toMatch(/^uuid:/);
    // The reload locks the device's sealed data: the password opens it again, with no server call.
    await page.reload();
    await page.getByRole('heading', { name: 'Түгжээ тайлах' }).waitFor();
    await page.getByLabel('Нууц үг').fill(demoPassword);
    await page.getByRole('button', { name: 'Тайлах', exact: true }).click();
    await page.getByRole('heading', { name: 'Өрхийн бүртгэл', level: 1 }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /Өрхийн тэргүүн/ }).click();
    expect(await page.locator(`${at('/data/head/head_given_name')} input`).inputValue()).toBe('Болд');
    expect(await page.locator(`${at('/data/head/head_register_number')} input`).inputValue()).toBe(registerNumber);
    await page.getByRole('button', { name: /Хаяг/ }).click();
    await expect
      .poll(() => page.locator(`${at('/data/address/location')} .geo__value`).textContent())
      .toContain('47.921300');
    await page.getByRole('button', { name: /Өрхийн бусад гишүүд/ }).click();
    expect(await page.locator(`${member('member_given_name')} input`).inputValue()).toBe('Сарнай');
    await page.getByRole('button', { name: /Өрхийн нөхцөл байдал/ }).click();
    expect(await page.locator(`${at('/data/situation/vulnerability')} input[value="poor_household"]`).isChecked()).toBe(
      true,
    );
    if (screenshots) await page.screenshot({ path: `${screenshots}/form-restored-mn.png`, fullPage: true });

    // Finalize: kept on the device first, then the sync sends it; the server then lists the new case.
    await page.getByRole('button', { name: 'Дуусгаж илгээх' }).click();
    await page.getByRole('heading', { name: 'Кейсүүд' }).waitFor();
    // Online, the notice says it is being sent now (never "when there is a connection"), then that it was sent.
    const notice = page.locator('.status-message');
    await expect.poll(() => notice.textContent()).toMatch(/одоо илгээж байна|сервер рүү илгээлээ/);
    expect(await notice.textContent()).not.toContain('Сүлжээтэй болоход');
    const saved = page.locator('[data-device-case-id]', { hasText: 'Б. Болд' });
    await expect
      .poll(async () => ((await saved.count()) === 0 ? 'gone' : await saved.getAttribute('data-sync-state')), {
        timeout: 60_000,
      })
      .toMatch(/^(gone|sent|synced)$/);
    await expect.poll(() => page.locator('.sync-indicator').textContent(), { timeout: 60_000 }).toMatch(/^Синк хийсэн/);
    await expect.poll(() => notice.textContent()).toBe('Хадгалж, сервер рүү илгээлээ.');
    await expect
      .poll(async () => (await serverCases(server, 'Болд')).map((c) => c.label), { timeout: 30_000 })
      .toContain('Б. Болд');
    await page.getByRole('searchbox').fill('Болд');
    await expect.poll(() => page.locator('tbody tr th').allTextContents()).toContain('Б. Болд');
    if (screenshots) await page.screenshot({ path: `${screenshots}/form-sent-cases-mn.png`, fullPage: true });

    // The draft is gone once the form was accepted.
    await page.getByRole('link', { name: 'Маягт бөглөх' }).click();
    await page.getByText('Энэ төхөөрөмжид хадгалсан ноорог алга.').waitFor();

    expect(pageErrors).toEqual([]);
  });
});
