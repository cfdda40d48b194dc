import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer } from './server.js';
import { collectPageErrors, demoPassword, signIn } from './steps.js';

const screenshots = process.env['OUTPOST_E2E_SCREENSHOTS'];

/** The administrator's phone: TOTP, SHA-1, 6 digits, 30 s, from the key typed off the screen. */
function authenticator(secret: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
}

describe('administration: two-step sign-in, users, devices and the audit log', () => {
  let server: RunningServer;
  let browser: Browser;
  let secret = '';
  const pageErrors: string[] = [];

  const newPage = async (): Promise<Page> => {
    // A tablet in landscape, the layout the app is designed for first.
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-US' });
    const page = await context.newPage();
    // The strict CSP reports inline scripts and style attributes as console errors: fail on them.
    collectPageErrors(page, pageErrors, /Content Security Policy/i);
    return page;
  };

  const shoot = async (page: Page, name: string): Promise<void> => {
    if (screenshots) await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
  };

  beforeAll(async () => {
    server = await startServer({ demo: true });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('enrols the administrator, then adds and disables a user, revokes a device and verifies the log', async () => {
    const page = await newPage();
    await signIn(page, server, 'admin');

    // Sent to enrolment: the key and its QR code are on the page.
    await page.getByRole('heading', { name: 'Set up two-step sign-in' }).waitFor();
    const qr = page.getByRole('img', { name: 'Code to scan with the authenticator app' });
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const shown = (await page.locator('.enrolment__secret').textContent()) ?? '';
    expect(shown).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    secret = shown.replace(/\s/g, '');
    await shoot(page, 'admin-enrolment');

    await page.getByLabel('6-digit code').fill(authenticator(secret).generate());
    await page.getByRole('button', { name: 'Confirm' }).click();

    // Into the app, and on to the administration screens.
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();

    // A password the server's policy refuses: its rule is shown.
    await page.getByLabel('Username', { exact: true }).fill('dulmaa');
    await page.getByLabel('Full name').fill('Dulmaa Bold');
    await page.getByLabel('Role').selectOption('fieldworker');
    await page.getByLabel('First password').fill('short');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('alert').filter({ hasText: 'The password must have at least 10 characters.' }).waitFor();
    await shoot(page, 'admin-users-refused');

    await page.getByLabel('First password').fill('Khongor-steppe-visit-2026');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('status').filter({ hasText: 'The user dulmaa was added.' }).waitFor();
    const row = page.locator('tr[data-username="dulmaa"]');
    await expect.poll(() => row.textContent()).toContain('Active');

    await row.getByRole('button', { name: 'Disable' }).click();
    await expect.poll(() => row.textContent()).toContain('Disabled');
    await row.getByRole('button', { name: 'Enable' }).waitFor();
    await shoot(page, 'admin-users');

    // The field worker registers a tablet, as the app on a device does at sign-in.
    const registered = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'fieldworker', password: demoPassword, device: { name: 'Tablet 7' } }),
    });
    expect(registered.status).toBe(200);
    const { device } = (await registered.json()) as { device: { id: string; token: string } };

    // The tablet syncs once, so the list has a "last seen" to show.
    const seen = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${device.token}` } });
    expect(seen.status).toBe(200);

    await page.getByRole('link', { name: 'Devices' }).click();
    const tablet = page.locator(`tr[data-device-id="${device.id}"]`);
    await expect.poll(() => tablet.textContent()).toContain('Tablet 7');
    expect(await tablet.textContent()).toContain('Active');
    expect(await tablet.textContent()).not.toContain('Never');
    // Named in the list, so it is not one more "Chrome · Linux" among many.
    await tablet.getByRole('button', { name: 'Rename' }).click();
    await tablet.getByLabel('New name of the device').fill('Team 3 tablet');
    await tablet.getByRole('button', { name: 'Save name' }).click();
    await expect.poll(() => tablet.textContent()).toContain('Team 3 tablet');
    await tablet.getByRole('button', { name: 'Revoke' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain('Revoke the device “Team 3 tablet” of fieldworker?');
    await shoot(page, 'admin-devices-confirm');
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    // Revoked devices leave the list until asked for.
    await expect.poll(() => tablet.count()).toBe(0);
    await page.getByLabel(/Show revoked devices/).check();
    await expect.poll(() => tablet.textContent()).toContain('Revoked');
    expect(await tablet.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
    await shoot(page, 'admin-devices');

    // The revoked tablet's token no longer opens anything.
    const withToken = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${device.token}` } });
    expect(withToken.status).toBe(401);

    // The audit log shows what was done, and its chain holds.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('columnheader', { name: 'Action' }).waitFor();
    const newest = page.getByRole('button', { name: 'Newest' });
    if (await newest.isEnabled()) await newest.click();
    const actions = () =>
      page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    await expect
      .poll(actions)
      .toEqual(expect.arrayContaining(['auth.totp-enrolled', 'user.created', 'user.disabled', 'device.revoked']));
    const revokedRow = page.locator('tbody tr[data-action="device.revoked"]');
    expect(await revokedRow.textContent()).toContain('Device revoked');
    expect(await revokedRow.textContent()).toContain('admin');
    expect(await revokedRow.textContent()).toContain('Team 3 tablet');
    expect(await page.locator('tbody tr[data-action="user.disabled"]').textContent()).toContain('User dulmaa');

    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /The audit chain is intact: \d+ entries checked\./ })
      .waitFor();
    await shoot(page, 'admin-audit');

    await page.getByLabel('Language').selectOption('mn');
    await page.getByRole('heading', { name: 'Аудитын бүртгэл' }).waitFor();
    await shoot(page, 'admin-audit-mn');

    expect(pageErrors).toEqual([]);
  });

  it('asks the enrolled administrator for the code at the next sign-in', async () => {
    expect(secret).not.toBe('');
    const page = await newPage();
    await signIn(page, server, 'admin');

    await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
    const codeField = page.getByLabel('6-digit code');
    expect(await codeField.getAttribute('inputmode')).toBe('numeric');
    expect(await codeField.getAttribute('autocomplete')).toBe('one-time-code');

    const now = authenticator(secret).generate();
    await codeField.fill(now === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'That code did not work.' }).waitFor();
    await shoot(page, 'admin-login-code');

    // The code of the enrolment was spent (no replays): the next step's code, which the server's
    // one-step drift window accepts, is what a phone shows a few seconds later.
    await codeField.fill(authenticator(secret).generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    await page.getByRole('link', { name: 'Administration' }).waitFor();

    expect(pageErrors).toEqual([]);
  });
});
