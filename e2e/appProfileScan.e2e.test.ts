// S7 and S8 with the real app: after a field worker syncs cases holding canary strings, keeps a
// draft and a case saved offline, no file of the Chromium profile holds a canary in clear; logout
// then erases the device, after showing what was not sent and offering the rescue file.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatRegisterNumber } from '@outpost/templates';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath, quietChromiumFlags } from './chromium.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanProfile } from './fixtures/vault/scanProfile.js';
import { repoRoot, startServer, type RunningServer } from './server.js';
import { apiLogin, at, demoProject, demoProjectOf, fillHousehold, publishWithCli, signIn, unlock } from './steps.js';

const formFile = join(repoRoot, 'templates/mongolia-social-protection/forms/household_registration.xlsx');

// Distinctive strings that must never be found on disk: one planted on the server and pulled,
// one typed into a draft, one in a case finalized offline.
const canary = {
  pulledName: 'Канарейкацэцэг',
  pulledAddress: 'CANARY-ADDR-7f3a9c',
  draftName: 'Ноорогканарейка',
  draftAddress: 'CANARY-DRAFT-2b8e1d',
  offlineName: 'Офлайнканарейка',
  offlineAddress: 'CANARY-OFFLINE-5c4f0a',
};

/** A household registration as a tablet would send it, with the canaries in its name and address. */
function registration(version: string, register: string): string {
  const id = crypto.randomUUID();
  return `<data xmlns:jr="http://openrosa.org/javarosa" id="mn_household_registration" version="${version}">
  <start>2026-03-01T09:00:00.000+08:00</start><end>2026-03-01T09:20:00.000+08:00</end><today>2026-03-01</today><username>fieldworker</username>
  <consent>yes</consent>
  <head><head_family_name>Боржигин</head_family_name><head_fathers_name>Батын</head_fathers_name><head_given_name>${canary.pulledName}</head_given_name>
    <head_register_number>${register}</head_register_number><head_dob>1985-03-27</head_dob><head_age>40</head_age><head_age_note/>
    <head_sex>male</head_sex><head_phone>99112233</head_phone></head>
  <address><aimag>MN11</aimag><soum>MN1110</soum><bag>MN111051</bag><address_detail>${canary.pulledAddress}</address_detail><dwelling_type/><location/></address>
  <household_size>1</household_size><children_count>0</children_count><elderly_count>0</elderly_count>
  <situation><vulnerability/><needs>food</needs><monthly_income>450000</monthly_income><notes/></situation>
  <registration_date>2026-03-01</registration_date><case_status>open</case_status>
  <meta><instanceID>uuid:${id}</instanceID><instanceName>Б. ${canary.pulledName}</instanceName>
    <entity dataset="cases" id="${crypto.randomUUID()}" create="1"><label>Б. ${canary.pulledName}</label></entity></meta>
</data>`;
}

/** The app in Chromium on a profile folder of ours, so its files can be read after closing. */
async function openApp(userDataDir: string, offline = false): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    locale: 'en-US',
    viewport: { width: 1024, height: 768 },
    acceptDownloads: true,
    offline,
    args: [...quietChromiumFlags],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

describe('the app in a Chromium profile: no plaintext case data on disk; logout erases it (S7, S8)', () => {
  let server: RunningServer;
  let userDataDir: string;
  let projectId = '';

  beforeAll(async () => {
    server = await startServer({ demo: true });
    userDataDir = await mkdtemp(join(tmpdir(), 'outpost-app-profile-'));
    const api = await apiLogin(server);
    const project = await demoProjectOf(api);
    projectId = project.id;
    await publishWithCli(server, formFile, project.slug);
    const forms = await api.get<{ items: { formId: string; version?: string; latestVersion?: { version: string } }[] }>(
      `/projects/${projectId}/forms`,
    );
    const form = forms.items.find((f) => f.formId === 'mn_household_registration');
    const version = form?.latestVersion?.version ?? form?.version;
    if (version === undefined) throw new Error('the demo has no household registration form');
    const planted = await fetch(`${server.url}/api/v1/projects/${projectId}/submissions`, {
      method: 'POST',
      headers: { ...api.headers, 'content-type': 'application/xml' },
      body: registration(version, formatRegisterNumber('УК', '1985-03-27', 'male', 31)),
    });
    expect(planted.status, await planted.clone().text()).toBeLessThan(300);
    const found = await api.get<{ items: { label: string }[] }>(
      `/projects/${projectId}/cases?q=${encodeURIComponent(canary.pulledName)}&limit=10&offset=0`,
    );
    expect(found.items.map((c) => c.label)).toContain(`Б. ${canary.pulledName}`);
  });

  afterAll(async () => {
    await server?.stop();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  it('syncs, keeps a draft and an offline case, leaves no canary in any profile file, and logout erases', async () => {
    const indicator = (page: Page) => page.locator('.sync-indicator');
    const first = await openApp(userDataDir);
    let page = first.page;
    try {
      await signIn(page, server);
      await page.getByRole('heading', { name: 'Your projects' }).waitFor();
      await expect
        .poll(() => indicator(page).textContent(), { timeout: 60_000 })
        .toMatch(/^Synced/)
        .catch(async (error: unknown) => {
          await indicator(page).click();
          console.log(await page.locator('main').textContent());
          throw error;
        });

      // The planted case is on the device, readable only through the vault.
      await page.getByRole('link', { name: new RegExp(demoProject) }).click();
      await page.getByRole('heading', { name: 'Cases' }).waitFor();
      await page.getByRole('button', { name: 'Show the cases on this device' }).click();
      await page.locator('[data-device-case-id]', { hasText: canary.pulledName }).waitFor();

      // A draft with a canary.
      await page.getByRole('link', { name: 'Fill a form' }).click();
      await page.getByRole('link', { name: /^New: .*Household registration|^New: .*Өрхийн бүртгэл/ }).click();
      await page.locator(at('/data/consent')).waitFor({ timeout: 30_000 });
      const registerOf = (n: number) => formatRegisterNumber('УК', '1990-07-14', 'male', n);
      await fillHousehold(
        page,
        {
          family: 'Боржигин',
          fathers: 'Батын',
          given: canary.draftName,
          register: registerOf(41),
          dob: '1990-07-14',
          address: canary.draftAddress,
          child: 'Номин',
        },
        'address',
      );
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.getByText(/^Draft saved/).waitFor();

      // A case finalized with no network.
      await first.context.setOffline(true);
      await page.goBack();
      await page.getByRole('heading', { name: 'Forms' }).waitFor();
      await page.locator('[data-draft-id]').waitFor();
      await page.getByRole('link', { name: /^New: .*Household registration|^New: .*Өрхийн бүртгэл/ }).click();
      await page.locator(at('/data/consent')).waitFor({ timeout: 30_000 });
      await fillHousehold(
        page,
        {
          family: 'Боржигин',
          fathers: 'Батын',
          given: canary.offlineName,
          register: registerOf(42),
          dob: '1990-07-14',
          address: canary.offlineAddress,
          child: 'Номин',
        },
        'situation',
      );
      await page.locator(`${at('/data/situation/vulnerability')} input[value="poor_household"]`).check();
      await page.getByRole('button', { name: 'Finalize' }).click();
      await page.getByText('Saved on this device. It will be sent when there is a connection.').waitFor();
      await expect.poll(() => indicator(page).textContent()).toBe('Offline · 1 waiting');
    } finally {
      await first.context.close();
    }

    // Every file of the profile, as raw bytes: no canary in any encoding.
    const needles = Object.values(canary);
    const scan = await scanProfile(userDataDir, needles);
    // Control: the scan does read the profile's storage (the remembered user is in localStorage).
    const control = await scanProfile(userDataDir, ['outpost.lastUser']);
    expect(control.findings.length).toBeGreaterThan(0);
    expect(scan.files).toBeGreaterThan(10);
    expect(scan.findings).toEqual([]);

    // Back on the tablet, still offline: the unlock screen, then logout tells what would be lost.
    const second = await openApp(userDataDir, true);
    page = second.page;
    try {
      await page.goto(server.url).catch(() => undefined);
      await unlock(page);
      await page.getByRole('button', { name: 'Log out', exact: true }).click();
      await expect
        .poll(() => page.getByTestId('logout-unsent').textContent())
        .toBe('1 finalized form on this device has not reached the server yet.');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export my unsent data' }).click(),
      ]);
      const rescue = await readFile((await download.path()) ?? '', 'utf8');
      expect(rescue).toContain(canary.offlineName);
      await page.getByRole('button', { name: 'Erase and log out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await expect
        .poll(() => page.getByTestId('login-notice').textContent())
        .toBe('You are logged out, and the data on this device was erased.');
      const left = await page.evaluate(async () => ({
        databases: (await indexedDB.databases()).map((d) => d.name),
        localStorage: Object.keys(localStorage),
        caches: await caches.keys(),
      }));
      expect(left.databases).toEqual([]);
      expect(left.localStorage.filter((key) => key !== 'outpost.language')).toEqual([]);
      expect(left.caches.every((name) => name.startsWith('outpost-shell-'))).toBe(true);
    } finally {
      await second.context.close();
    }
    // Erased data stays in LevelDB files until compaction; it was sealed, so still no canary.
    expect((await scanProfile(userDataDir, needles)).findings).toEqual([]);
  });
});
