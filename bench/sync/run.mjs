// Initial and incremental sync of the same caseload: Outpost (its PWA sync engine into IndexedDB)
// against CouchDB replication (PouchDB in the browser from pouchdb-server), both in headless
// Debian Chromium, on loopback and over a 3G-shaped link (quality targets P2 and P3).
// Prints one JSON array on stdout, progress on stderr; asserts nothing.
// Usage: npm run bench:sync -- --cases 10000 [--profiles loopback,3g] [--peers outpost,couchdb]
//        [--couch-batch-size 100] [--timeout-seconds 900] [--json]
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumPath, quietChromiumFlags } from '../../e2e/chromium.mjs';
import { buildSyncPage } from './buildSyncPage.mjs';
import { couchDbName, caseDocument, startCouchPeer } from './couchPeer.mjs';
import { startCountingProxy } from './countingProxy.mjs';
import { startOutpostPeer } from './outpostPeer.mjs';
import { recordShape } from './recordShape.mjs';
import { startShapingProxy, threeG } from './shapingProxy.mjs';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000' },
    profiles: { type: 'string', default: 'loopback,3g' },
    peers: { type: 'string', default: 'outpost,couchdb' },
    json: { type: 'boolean', default: false },
    'couch-batch-size': { type: 'string' },
    'timeout-seconds': { type: 'string', default: '900' },
  },
});
const cases = wholeNumber(values.cases, '--cases');
const profiles = values.profiles.split(',').map((name) => name.trim());
for (const name of profiles) if (name !== 'loopback' && name !== '3g') throw new Error(`unknown profile ${name}`);
const peers = values.peers.split(',').map((name) => name.trim());
for (const name of peers) if (name !== 'outpost' && name !== 'couchdb') throw new Error(`unknown peer ${name}`);
if (!peers.includes('outpost')) throw new Error('--peers: outpost is the subject and cannot be left out');
const withCouch = peers.includes('couchdb');
const couchBatchSize = values['couch-batch-size'] === undefined ? undefined : wholeNumber(values['couch-batch-size']);
const timeoutMs = wholeNumber(values['timeout-seconds'], '--timeout-seconds') * 1000;

const startedAt = performance.now();
const log = (line) => process.stderr.write(`[${((performance.now() - startedAt) / 1000).toFixed(1)}s] ${line}\n`);
const cleanups = [];
const cleanUp = async () => {
  while (cleanups.length > 0) {
    const step = cleanups.pop();
    await step().catch((error) => log(`cleanup: ${error.message}`));
  }
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanUp().then(() => process.exit(130));
  });
}

try {
  const results = await runBenchmark();
  process.stdout.write(values.json ? `${JSON.stringify(results, null, 2)}\n` : summary(results));
} finally {
  await cleanUp();
}

async function runBenchmark() {
  const started = await Promise.allSettled([
    buildSyncPage(),
    startOutpostPeer({ cases, log, timeoutMs }),
    withCouch ? startCouchPeer({ log, timeoutMs }) : null,
  ]);
  const [pageDir, outpost, couch] = started.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : null));
  if (pageDir !== null) cleanups.push(() => rm(pageDir, { recursive: true, force: true }));
  if (outpost !== null) cleanups.push(outpost.stop);
  if (couch !== null) cleanups.push(couch.stop);
  const failed = started.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) throw failed.reason;

  // The mirror learns what a device receives; CouchDB gets exactly that, one document per case.
  const mirror = await outpost.createMirror();
  const pulled = await mirror.pullNew();
  if (pulled.length !== cases) throw new Error(`the mirror pulled ${pulled.length} records, expected ${cases}`);
  if (couch !== null) {
    await couch.put(pulled.map(caseDocument));
    log(`couchdb: loaded ${pulled.length} documents`);
  }
  const shape = recordShape(pulled);

  const outpostProxy = await startCountingProxy({
    target: outpost.url,
    forward: (path) => path.startsWith('/api/'),
    pageDir,
  });
  cleanups.push(outpostProxy.close);
  const couchProxy =
    couch === null
      ? null
      : await startCountingProxy({
          target: couch.url,
          forward: (path) => path === `/${couchDbName}` || path.startsWith(`/${couchDbName}/`),
          pageDir,
        });
  if (couchProxy !== null) cleanups.push(couchProxy.close);

  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', ...quietChromiumFlags] });
  cleanups.push(() => browser.close());
  log(`chromium ${browser.version()}`);

  const ids = pulled.map(([id]) => id);
  const results = [];
  for (const [index, profile] of profiles.entries()) {
    const shaped = profile === '3g';
    const front = async (proxy) => {
      if (proxy === null) return null;
      if (!shaped) return { url: proxy.url, close: async () => {} };
      return startShapingProxy({ targetPort: proxy.port, ...threeG });
    };
    const outpostFront = await front(outpostProxy);
    const couchFront = await front(couchProxy);
    const device = await outpost.login(`bench-${profile}`);
    const outpostPage = await openPage(browser, outpostFront.url);
    const couchPage = couchFront === null ? null : await openPage(browser, couchFront.url);
    cleanups.push(outpostFront.close, outpostPage.close);
    if (couchPage !== null) cleanups.push(couchFront.close, couchPage.close);

    const syncOutpost = () =>
      measure(outpostProxy, `outpost ${profile}`, () =>
        outpostPage.page.evaluate((args) => globalThis.syncBench.outpostSync(args), device),
      );
    const syncCouch = async () => {
      if (couchPage === null) return null;
      return measure(couchProxy, `couchdb ${profile}`, () =>
        couchPage.page.evaluate((args) => globalThis.syncBench.couchSync(args), {
          remote: `/${couchDbName}`,
          ...(couchBatchSize === undefined ? {} : { batchSize: couchBatchSize }),
        }),
      );
    };

    const initialOutpost = await syncOutpost();
    const initialCouch = await syncCouch();

    // 1% of the cases change on the server (a different 1% per profile), on both peers alike.
    const changed = ids.filter((_, i) => i % 100 === index % 100);
    await outpost.changeCases(changed);
    const changedRecords = await mirror.pullNew();
    if (couch !== null) await couch.put(changedRecords.map(caseDocument));
    log(`changed ${changed.length} cases on both servers`);
    const incrementalOutpost = await syncOutpost();
    const incrementalCouch = await syncCouch();

    results.push({
      profile,
      cases,
      link: shaped ? threeG : 'loopback',
      outpost: initialOutpost,
      couchdb: initialCouch,
      incremental: { changed: changed.length, outpost: incrementalOutpost, couchdb: incrementalCouch },
      bytesRatio: ratio(initialCouch?.bytes, initialOutpost.bytes),
      bytesPerCase: {
        outpost: round(initialOutpost.bytes / cases, 1),
        couchdb: initialCouch === null ? null : round(initialCouch.bytes / cases, 1),
      },
      secondsPerThousandCases: {
        outpost: round((initialOutpost.seconds / cases) * 1000, 3),
        couchdb: initialCouch === null ? null : round((initialCouch.seconds / cases) * 1000, 3),
      },
      incrementalBytesRatio: ratio(incrementalCouch?.bytes, incrementalOutpost.bytes),
      secondsRatio: ratio(initialCouch?.seconds, initialOutpost.seconds),
      recordShape: shape,
    });

    await outpostPage.close();
    await outpostFront.close();
    await couchPage?.close();
    await couchFront?.close();
  }
  log(`done in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  return results;
}

async function openPage(browser, url) {
  // A fresh context per client and profile: an empty IndexedDB, as on a newly set-up tablet.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url, { timeout: timeoutMs });
  await page.waitForFunction(() => globalThis.syncBench !== undefined, null, { timeout: timeoutMs });
  return { page, close: () => context.close() };
}

async function measure(proxy, label, sync) {
  proxy.reset();
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: no result after ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    const result = await Promise.race([sync(), timeout]);
    const counts = proxy.counts();
    const figures = {
      seconds: round(result.seconds, 3),
      requests: counts.requests,
      bytes: counts.bytes,
      requestBytes: counts.requestBytes,
      responseBytes: counts.responseBytes,
      records: result.records,
    };
    log(`${label}: ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    clearTimeout(timer);
  }
}

function summary(results) {
  const lines = results.map(
    (r) =>
      `${r.profile.padEnd(8)} ${r.cases} cases  outpost ${r.outpost.seconds}s ${r.outpost.requests} req ${r.outpost.bytes} B` +
      (r.couchdb === null
        ? ''
        : `  couchdb ${r.couchdb.seconds}s ${r.couchdb.requests} req ${r.couchdb.bytes} B  ratio ${r.bytesRatio}x`) +
      `  incremental outpost ${r.incremental.outpost.bytes} B` +
      (r.incremental.couchdb === null ? '' : ` / couchdb ${r.incremental.couchdb.bytes} B`),
  );
  return `${lines.join('\n')}\n`;
}

function ratio(couchFigure, outpostFigure) {
  return couchFigure === undefined ? null : round(couchFigure / outpostFigure, 2);
}

function round(value, digits) {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function wholeNumber(text, flag = 'value') {
  if (!/^\d+$/.test(text ?? '') || Number(text) < 1) throw new Error(`${flag}: expected a whole number, got ${text}`);
  return Number(text);
}
