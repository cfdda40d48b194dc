// S6 on the tablet: the sign-in registers the device under a readable name; once the device is
// revoked, its next contact with the server erases it and the app says so on the sign-in screen.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import { startServer, type RunningServer } from './server.js';
import { demoPassword, signIn } from './steps.js';

describe('a revoked tablet wipes itself at its next contact', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ demo: true });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('registers the device at sign-in, syncs with its token, and erases everything once revoked', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-US' });
    const page = await context.newPage();
    await signIn(page, server);
    await page.getByRole('heading', { name: 'Your projects' }).waitFor();
    await expect.poll(() => page.locator('.sync-indicator').textContent(), { timeout: 60_000 }).toMatch(/^Synced/);

    // The user's own view of their devices (the server's API, as the device list screen reads it).
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'fieldworker', password: demoPassword }),
    });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const devices = (await (await fetch(`${server.url}/api/v1/devices`, { headers: { cookie } })).json()) as {
      items: { id: string; name: string; lastSeenAt: string | null }[];
    };
    const tablet = devices.items[0];
    // Named at sign-in: the suggestion that follows the username, left as it was.
    expect(tablet?.name).toBe('Tablet of fieldworker');
    // It synced with its device token, so the server has seen it.
    expect(tablet?.lastSeenAt).not.toBeNull();
    const revoked = await fetch(`${server.url}/api/v1/devices/${tablet?.id ?? ''}/revoke`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(revoked.status).toBe(204);

    // The next sync is the next contact: the server orders the wipe, the device obeys.
    // The device may learn it first by itself (a scheduled sync wipes it while the worker reaches
    // for the button); otherwise the worker's own sync is the next contact.
    const signInHeading = page.getByRole('heading', { name: 'Sign in' });
    const indicator = page.locator('.sync-indicator');
    const deadline = Date.now() + 30_000;
    while (!(await signInHeading.isVisible()) && Date.now() < deadline) {
      if (await indicator.isVisible()) {
        await indicator.click({ timeout: 2_000 }).catch(() => undefined);
        await page
          .getByRole('button', { name: 'Sync now' })
          .click({ timeout: 2_000 })
          .catch(() => undefined);
      }
      await page.waitForTimeout(250);
    }
    await signInHeading.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('login-notice').textContent())
      .toBe('This device was signed out by the server and its data erased.');
    const left = await page.evaluate(async () => ({
      databases: (await indexedDB.databases()).map((d) => d.name),
      localStorage: Object.keys(localStorage).filter((key) => key !== 'outpost.language'),
    }));
    expect(left).toEqual({ databases: [], localStorage: [] });
    await context.close();
  });
});
