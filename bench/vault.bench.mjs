// Device encryption in Debian Chromium (P5, P11): PBKDF2 unlock time, AES-GCM cost per record, and
// saving / applying records with and without sealing, in one page, one run. Prints JSON; asserts
// nothing. Usage: node bench/vault.bench.mjs [records=10000] [rounds=3]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runnerImport } from 'vite';

const records = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 3);
const password = 'bench-Хавар-2026';

// The page and its server are the e2e fixture's (TypeScript), loaded through vite's module runner.
const fixture = (name) => runnerImport(new URL(`../e2e/fixtures/vault/${name}.ts`, import.meta.url).pathname);
const { serveVaultPage } = (await fixture('serveVaultPage')).module;
const { openVaultProfile } = (await fixture('openVaultProfile')).module;
const server = await serveVaultPage();
const userDataDir = await mkdtemp(join(tmpdir(), 'outpost-vault-bench-'));
const { context, page } = await openVaultProfile(userDataDir, server.url);
try {
  await page.evaluate((secret) => globalThis.vaultPage.setup(secret), password);
  const runs = [];
  for (let round = 0; round < rounds; round += 1) {
    runs.push(await page.evaluate(([n, secret]) => globalThis.vaultPage.bench(n, secret), [records, password]));
  }
  const median = (key) => runs.map((run) => run[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  const summary = Object.fromEntries(Object.keys(runs[0]).map((key) => [key, median(key)]));
  process.stdout.write(
    `${JSON.stringify(
      {
        chromium: context.browser()?.version() ?? 'persistent context',
        records,
        rounds,
        median: summary,
        saveP95Ratio: summary.saveP95MsSealed / summary.saveP95MsPlain,
        applySlowdown: 1 - summary.applyRecordsPerSecondSealed / summary.applyRecordsPerSecondPlain,
        applySlowdownPipelined: 1 - summary.applyRecordsPerSecondSealedPipelined / summary.applyRecordsPerSecondPlain,
        runs,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await context.close();
  await server.stop();
  await rm(userDataDir, { recursive: true, force: true });
}
