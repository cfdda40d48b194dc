// Server ingest (targets P7, P8): M household registrations pushed by C concurrent simulated
// devices over HTTP on 127.0.0.1, first through POST /api/v1/sync/push in batches, then one by one
// through POST /api/v1/projects/:id/submissions, against a fresh server holding N submissions
// already, for each N asked. Prints JSON on stdout, progress on stderr.
//
//   npm run bench:ingest -- --stored 10000,100000 --submissions 5000 --concurrency 50 --json
//   npm run bench:ingest -- --database-url postgres://postgres@127.0.0.1:5432/postgres ...
//   npm run bench:ingest -- --validator compiled,engine   (the default: both, one after the other)
//
// With --database-url each N gets a database of its own (created and dropped on that server).
// Needs `npx tsc -b packages/server` (the server runs from dist/); `--server-dist <dir>` runs
// another build of it (a copy of an earlier dist/ inside the repository, for before/after).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { householdXml, uuidOf } from './householdXml.mjs';

const { values: opts } = parseArgs({
  options: {
    stored: { type: 'string', default: '10000,100000' },
    submissions: { type: 'string', default: '4000' },
    concurrency: { type: 'string', default: '50' },
    batch: { type: 'string', default: '50' },
    'database-url': { type: 'string' },
    'cpu-prof': { type: 'string' },
    'server-dist': { type: 'string' },
    paths: { type: 'string', default: 'push,single' },
    // Each stored size is run once per validator, in this order, on a fresh database each.
    validator: { type: 'string', default: 'compiled,engine' },
    json: { type: 'boolean', default: false },
  },
});
const storedList = opts.stored.split(',').map((s) => Number(s.trim()));
const submissions = Number(opts.submissions);
const concurrency = Number(opts.concurrency);
const batch = Number(opts.batch);
const paths = opts.paths.split(',');
const validators = opts.validator.split(',').map((v) => v.trim());
const serverScript = fileURLToPath(new URL('./server.mjs', import.meta.url));
const log = (line) => process.stderr.write(`${line}\n`);

const ANCHOR = {
  peer: 'ODK Central (not run here: cannot be installed on this machine)',
  burstPerSecond: [120, 160],
  sustainedPerSecond: [70, 80],
  byStored: { 10000: 161, 100000: 69 },
  source: 'docs quality.md P7: measured on this kind of machine; its per-submission duplicate check scans an index',
};

async function withDatabase(n, fn) {
  const dataDir = await mkdtemp(join(tmpdir(), 'outpost-ingest-bench-'));
  if (opts['database-url'] === undefined) {
    try {
      return await fn(dataDir, '-');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: opts['database-url'] });
  await admin.connect();
  const name = `outpost_ingest_bench_${n}_${process.pid}`;
  await admin.query(`create database ${name}`);
  const url = new URL(opts['database-url']);
  url.pathname = `/${name}`;
  try {
    return await fn(dataDir, url.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function startServer(dataDir, databaseUrl, n, profileDir, validator) {
  const nodeArgs = profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir];
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      serverScript,
      dataDir,
      databaseUrl,
      String(n),
      ...(opts['server-dist'] === undefined ? [] : [resolve(opts['server-dist'])]),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, OUTPOST_VALIDATOR: validator },
    },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`bench server exited (${code ?? signal}) before ready`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('{')) resolve({ child, ...JSON.parse(line) });
    });
  });
}

async function stopServer(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

async function login(server, name) {
  const response = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: server.username, password: server.password, device: { name } }),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const body = await response.json();
  return { token: body.device.token, deviceId: body.device.id };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(label, started, latencies, counts) {
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (v) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    path: label,
    requests: latencies.length,
    ...counts,
    seconds: Math.round(seconds * 100) / 100,
    submissionsPerSecond: Math.round((counts.accepted / seconds) * 10) / 10,
    latencyMs: {
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
    },
  };
}

function makeItems(server, count, tag) {
  return Array.from({ length: count }, (_, i) => {
    const instanceId = `uuid:${randomUUID()}`;
    return {
      instanceId,
      xml: householdXml({
        instanceId,
        entityId: uuidOf(`${tag}-${i}-${instanceId}`),
        version: server.formVersion,
        n: i,
      }),
    };
  });
}

async function pushPath(server, devices, items) {
  const latencies = [];
  const counts = { accepted: 0, duplicate: 0, rejected: 0, parked: 0, unacked: 0 };
  const perDevice = devices.map(() => []);
  items.forEach((item, i) => perDevice[i % devices.length].push(item));
  const started = performance.now();
  await Promise.all(
    devices.map(async (device, d) => {
      const mine = perDevice[d];
      for (let from = 0; from < mine.length; from += batch) {
        const slice = mine.slice(from, from + batch).map((item, k) => ({
          seq: from + k + 1,
          instanceId: item.instanceId,
          projectId: server.projectId,
          formId: server.formId,
          formVersion: server.formVersion,
          xml: item.xml,
          createdAt: '2026-03-01T01:20:00.000Z',
          attachments: [],
        }));
        const body = {
          protocol: 2,
          deviceId: device.deviceId,
          fromSeq: slice[0].seq,
          throughSeq: slice[slice.length - 1].seq,
          items: slice,
        };
        const t0 = performance.now();
        const response = await fetch(`${server.url}/api/v1/sync/push`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${device.token}` },
          body: JSON.stringify(body),
        });
        const text = await response.text();
        latencies.push(performance.now() - t0);
        if (!response.ok) throw new Error(`push failed: ${response.status} ${text.slice(0, 500)}`);
        const result = JSON.parse(text);
        for (const r of result.results) {
          counts[r.outcome] += 1;
          if (r.outcome === 'rejected' && counts.rejected === 1) log(`  first rejection: ${r.code} ${r.detail}`);
        }
        counts.unacked += slice.length - result.results.length;
      }
    }),
  );
  return summary(`sync/push (batches of ${batch})`, started, latencies, counts);
}

async function singlePath(server, devices, items) {
  const latencies = [];
  const counts = { accepted: 0, duplicate: 0, rejected: 0 };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    devices.map(async (device) => {
      for (;;) {
        const item = items[next++];
        if (item === undefined) return;
        const t0 = performance.now();
        const response = await fetch(`${server.url}/api/v1/projects/${server.projectId}/submissions`, {
          method: 'POST',
          headers: { 'content-type': 'application/xml', authorization: `Bearer ${device.token}` },
          body: item.xml,
        });
        const text = await response.text();
        latencies.push(performance.now() - t0);
        if (response.status === 201) counts.accepted += 1;
        else if (response.status === 200) counts.duplicate += 1;
        else {
          counts.rejected += 1;
          if (counts.rejected === 1) log(`  first rejection: ${response.status} ${text.slice(0, 300)}`);
        }
      }
    }),
  );
  return summary('projects/:id/submissions (one by one)', started, latencies, counts);
}

async function runAt(n, validator) {
  return withDatabase(n, async (dataDir, databaseUrl) => {
    log(`stored ${n}: preparing a fresh server (${databaseUrl === '-' ? 'SQLite' : 'PostgreSQL'})`);
    const server = await startServer(dataDir, databaseUrl, n, opts['cpu-prof'], validator);
    try {
      log(`stored ${n}: pre-filled in ${server.prefillSeconds.toFixed(1)} s; logging in ${concurrency} devices`);
      const devices = [];
      for (let d = 0; d < concurrency; d++) devices.push(await login(server, `bench-device-${d}`));
      // A few submissions first so the form is loaded in the engine before timing starts.
      await singlePath(server, devices.slice(0, 1), makeItems(server, 3, 'warm'));
      const results = [];
      if (paths.includes('push')) {
        log(`stored ${n}: pushing ${submissions} submissions from ${concurrency} devices`);
        results.push(await pushPath(server, devices, makeItems(server, submissions, 'push')));
        log(`  ${JSON.stringify(results.at(-1))}`);
      }
      if (paths.includes('single')) {
        log(`stored ${n}: posting ${submissions} submissions one by one from ${concurrency} devices`);
        results.push(await singlePath(server, devices, makeItems(server, submissions, 'single')));
        log(`  ${JSON.stringify(results.at(-1))}`);
      }
      return { storedBefore: n, validator, prefillSeconds: Math.round(server.prefillSeconds * 10) / 10, results };
    } finally {
      await stopServer(server.child);
    }
  });
}

const runs = [];
const startedAt = new Date().toISOString();
for (const n of storedList) for (const validator of validators) runs.push(await runAt(n, validator));
const report = {
  benchmark: 'ingest',
  startedAt,
  database: opts['database-url'] === undefined ? 'sqlite (WAL, synchronous=FULL)' : 'postgresql',
  submissions,
  concurrency,
  batch,
  node: process.version,
  runs,
  anchor: ANCHOR,
};
process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${JSON.stringify(report)}\n`);
