// S7 and S8 in a real Chromium profile: case data sealed by the vault leaves no plaintext on disk,
// opens again after a restart with the secret, and wipeDevice() empties every storage area.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVaultProfile } from './fixtures/vault/openVaultProfile.js';
import { scanProfile } from './fixtures/vault/scanProfile.js';
import { serveVaultPage, type VaultPageServer } from './fixtures/vault/serveVaultPage.js';
import type { VaultPageApi } from './fixtures/vault/vaultPage.js';

const password = 'Хавар-2026-нууц';
// Canaries: what must never be found. Controls: written in plaintext on purpose, shaped alike but
// sharing no text with the canaries, to prove the scan sees a plaintext string in every area.
const canary = {
  name: 'CANARY-ЦЭЦЭГ-7f3a',
  latin: 'CANARY-TSETSEG-7f3a',
  register: 'ЦЭ-CANARY-84071215',
  phone: '+976-CANARY-99112233',
  photo: 'CANARY-PHOTO-БАГАНА-7f3a',
};
const controls = ['CONTROL-ДОДОЙ-2b9e', 'CONTROL-DODOI-2b9e'];
const cases = [
  { id: 'case-1', properties: { name: canary.name, register: canary.register, phone: canary.phone, age: 42 } },
  { id: 'case-2', properties: { name: canary.latin, notes: `${canary.name} / ${canary.latin}` } },
];

/** Calls the page's hook; arguments travel over the DevTools protocol, never through the page's files. */
function call<K extends keyof VaultPageApi>(
  page: Page,
  method: K,
  ...args: Parameters<VaultPageApi[K]>
): Promise<Awaited<ReturnType<VaultPageApi[K]>>> {
  return page.evaluate(
    ([name, params]) => {
      const api = window.vaultPage as unknown as Record<string, (...values: unknown[]) => unknown>;
      return api[name]!(...params);
    },
    [method, args] as const,
  ) as Promise<Awaited<ReturnType<VaultPageApi[K]>>>;
}

describe('vault in Chromium: no plaintext on disk, readable with the secret, wiped on demand', () => {
  let server: VaultPageServer;
  let userDataDir: string;

  beforeAll(async () => {
    server = await serveVaultPage();
    userDataDir = await mkdtemp(join(tmpdir(), 'outpost-vault-profile-'));
  });

  afterAll(async () => {
    await server?.stop();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  it('S7: after saving canary cases and a photo, no file of the profile holds a canary', async () => {
    const { context, page } = await openVaultProfile(userDataDir, server.url);
    try {
      expect(await call(page, 'status')).toBe('none');
      await call(page, 'setup', password);
      await call(page, 'writeCases', cases, canary.photo);
      await call(page, 'writeAppStorage');
      await call(page, 'writeControls', controls);
    } finally {
      await context.close();
    }

    const scan = await scanProfile(userDataDir, [...Object.values(canary), ...controls]);
    const canaries = new Set<string>(Object.values(canary));
    expect(scan.findings.filter((finding) => canaries.has(finding.needle))).toEqual([]);

    // The scan can see plaintext in each area: the controls are found where they were written.
    const controlFiles = scan.findings.filter((finding) => !canaries.has(finding.needle)).map((f) => f.file);
    expect(controlFiles.some((file) => file.includes('IndexedDB'))).toBe(true);
    expect(controlFiles.some((file) => file.includes('Local Storage'))).toBe(true);
    expect(controlFiles.some((file) => file.includes('CacheStorage'))).toBe(true);
    console.info(JSON.stringify({ profileScan: { files: scan.files, bytes: scan.bytes, controlFiles } }));
  });

  it('S7: after a restart the vault is locked, and the secret opens the canaries again', async () => {
    const { context, page } = await openVaultProfile(userDataDir, server.url);
    try {
      expect(await call(page, 'status')).toBe('locked');
      expect(await call(page, 'unlock', 'not the secret')).toEqual({ ok: false, reason: 'wrong-secret', triesLeft: 9 });
      expect(await call(page, 'unlock', password)).toEqual({ ok: true });
      const read = await call(
        page,
        'readCases',
        cases.map((c) => c.id),
      );
      expect(read.cases).toEqual(cases.map((c) => c.properties));
      expect(read.photo).toBe(canary.photo);

      // Figures for the report (P5, P11), printed, never asserted.
      console.info(JSON.stringify({ vaultBench: await call(page, 'bench', 1000, password) }));
    } finally {
      await context.close();
    }
  });

  it('S8: wipeDevice() leaves no database, cache or stored item, and the vault must be set up again', async () => {
    const { context, page } = await openVaultProfile(userDataDir, server.url);
    try {
      const report = await call(page, 'wipe');
      expect(report.failures).toEqual([]);
      expect(report.databases).toEqual(expect.arrayContaining(['outpost', 'outpost-vault', 'outpost-control']));
      expect(report.caches).toEqual(expect.arrayContaining(['outpost-shell-test', 'outpost-control']));
      expect(report.localStorageItems).toBeGreaterThanOrEqual(3);

      expect(await call(page, 'inventory')).toEqual({
        databases: [],
        caches: [],
        localStorageItems: 0,
        sessionStorageItems: 0,
      });
      await page.reload();
      await page.waitForFunction(() => window.vaultPage !== undefined);
      expect(await call(page, 'status')).toBe('none');
    } finally {
      await context.close();
    }
    const scan = await scanProfile(userDataDir, controls);
    console.info(JSON.stringify({ afterWipe: scan.findings }));
  });
});
