// Load benchmark (issue 14, point 6; targets P7–P9): N simulated devices on loopback pushing
// household registrations in batches through POST /api/v1/sync/push and pulling after each batch,
// against real `outpost start` processes (P > 1 only on PostgreSQL, behind a round-robin proxy).
// Prints one JSON object per validator run:
//   {"db","devices","stored","processes","areas","offered_per_s","validator","submissions_per_s","p50_ms","p95_ms","p99_ms","errors","lost",
//    "server_cpu_ms_per_submission","server_cpu_ms_per_submission_with_startup","client_cpu_ms_per_submission","load_average"}
// server_cpu_ms_per_submission = the serving processes' CPU from the moment each is listening
// (before the first device request) to the end of the run, per acknowledged submission.
// client_cpu_ms_per_submission = this process's CPU over the same run (the simulated devices, and
// with --processes above 1 the round-robin proxy), per acknowledged submission: what the load
// generator takes of the machine it shares with the server.
// lost = acknowledged by the server (a push item, or a photo's upload) but not in the database
// afterwards. --photo-share of the submissions carry a photo of --photo-kb, uploaded over tus.
//
//   npm run bench:load -- --devices 50 --db sqlite --json
//   npm run bench:load -- --devices 50 --db postgres --processes 2 --validator compiled
//   npm run bench:load -- --devices 500 --rate 50 --db sqlite --validator compiled   (latency at an offered load)
//   npm run bench:load -- --devices 500 --areas 43 --db sqlite --validator compiled  (devices spread over 43 khoroos)
//
// The project, form, user and device sessions are prepared by bench/ingest/server.mjs (the same
// code path as the ingest benchmark), which is then stopped; `outpost start` serves the run.
// Needs `npx tsc -b` (the server and the CLI run from dist/).
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { householdXml, uuidOf } from '../ingest/householdXml.mjs';

const { values: opts } = parseArgs({
  options: {
    devices: { type: 'string', default: '50' },
    db: { type: 'string', default: 'sqlite' },
    processes: { type: 'string', default: '1' },
    validator: { type: 'string', default: 'compiled,engine' },
    // Submissions each device saves in total, pushed in batches of --batch.
    submissions: { type: 'string', default: '40' },
    batch: { type: 'string', default: '20' },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    json: { type: 'boolean', default: false },
    // A folder: each `outpost start` process writes a V8 CPU profile there when it stops.
    // The share of submissions (0–1) that carry a photo of --photo-kb, uploaded over tus
    // (POST /api/v1/uploads, one PATCH) before the batch that names it is pushed.
    'photo-share': { type: 'string', default: '0.2' },
    'photo-kb': { type: 'string', default: '200' },
    // Submissions stored before the run, each with the case it registered (multi-row inserts by the
    // prepare step), for the "no slowdown from 0 to 1,000,000 stored" comparison: run with 0 and
    // with N. The devices start as devices that already hold those cases: their pull cursors are
    // past them, so they pull only what changes during the run (a new season's devices).
    stored: { type: 'string', default: '0' },
    'cpu-prof': { type: 'string' },
    // Another build's packages/cli/dist/main.js to serve the run (a before/after comparison).
    cli: { type: 'string' },
    // Offered load, submissions/s from all devices together (open loop): each device sends a batch
    // every devices × batch / rate seconds from a random start (at once when it is behind that schedule).
    // Unset: every device pushes its next batch as soon as the last one was answered (closed loop,
    // the server's capacity; latencies are then mostly time queued behind the other devices).
    rate: { type: 'string' },
    // Spread the devices over K of Bayanzürkh's 43 khoroos, one field worker per khoroo who sees
    // only its cases (as a national rollout's workers each see their own soum or khoroo), devices
    // round-robin over them. 0: every device is the one worker of the whole district, and pulls
    // every other device's cases.
    areas: { type: 'string', default: '0' },
  },
});
const devicesCount = Number(opts.devices);
const processes = Number(opts.processes);
const perDevice = Number(opts.submissions);
const batch = Number(opts.batch);
const photoShare = Number(opts['photo-share']);
const photoBytes = Math.round(Number(opts['photo-kb']) * 1024);
const validators = opts.validator.split(',').map((v) => v.trim());
const offeredRate = opts.rate === undefined ? null : Number(opts.rate);
if (offeredRate !== null && !(offeredRate > 0)) throw new Error('--rate is submissions per second, above 0');
/** With --rate: milliseconds between one device's batches. */
const batchPeriodMs = offeredRate === null ? 0 : ((devicesCount * batch) / offeredRate) * 1000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
if (opts.db !== 'sqlite' && opts.db !== 'postgres') throw new Error('--db is sqlite or postgres');
if (processes > 1 && opts.db !== 'postgres') throw new Error('--processes above 1 needs --db postgres');
const prepareScript = fileURLToPath(new URL('../ingest/server.mjs', import.meta.url));
const cliMain = opts.cli ?? fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));
const log = (line) => process.stderr.write(`${line}\n`);

async function withDatabase(validator, fn) {
  const dataDir = await mkdtemp(join(tmpdir(), 'outpost-load-bench-'));
  if (opts.db === 'sqlite') {
    try {
      return await fn(dataDir, null);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: opts['database-url'] });
  await admin.connect();
  const name = `outpost_load_bench_${validator}_${process.pid}`;
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

function spawnUntil(args, env, pattern) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`${args[0]} exited (${code ?? signal}):\n${output}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = pattern.exec(line);
      if (match) resolve({ child, match });
    });
  });
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. On a
 * shared machine the CPU time per submission moves much less than submissions/s.
 */
async function cpuSeconds(pid) {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

/** CPU milliseconds per submission spent by the processes between two readings; null without /proc. */
function cpuMsPerSubmission(end, start, submissions) {
  if (end.includes(null) || start.includes(null)) return null;
  const seconds = end.reduce((sum, s, i) => sum + s - start[i], 0);
  return Math.round((seconds * 1000 * 10) / Math.max(1, submissions)) / 10;
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** The project prepared and the devices logged in by the ingest bench's server, then stopped. */
async function prepare(dataDir, databaseUrl) {
  const { child, match } = await spawnUntil(
    [prepareScript, dataDir, databaseUrl ?? '-', opts.stored],
    { OUTPOST_BENCH_AREAS: opts.areas },
    /^(\{.*\})$/,
  );
  const server = JSON.parse(match[1]);
  try {
    const devices = [];
    for (let d = 0; d < devicesCount; d++) {
      const worker = server.workers?.length > 0 ? server.workers[d % server.workers.length] : null;
      const username = worker?.username ?? server.username;
      const response = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: server.password, device: { name: `load-${d}` } }),
      });
      if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
      const body = await response.json();
      devices.push({ token: body.device.token, deviceId: body.device.id, khoroo: worker?.khoroo });
    }
    return { server, devices, cursors: await heldCursors(server, devices[0]) };
  } finally {
    await stop(child);
  }
}

/**
 * The pull cursors of a device that already holds the pre-filled cases (entity seqs 1..N): each of
 * the user's scopes at N. The scope ids come from one small pull (all devices are one user's, so
 * they share scopes); at N = 0 this is where a new device starts anyway.
 */
async function heldCursors(server, me) {
  const response = await fetch(`${server.url}/api/v1/sync/pull`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${me.token}` },
    body: JSON.stringify({ protocol: 2, deviceId: me.deviceId, cursors: {}, maxBytes: 16 * 1024 }),
  });
  if (!response.ok) throw new Error(`pull failed: ${response.status} ${await response.text()}`);
  const { scopes } = await response.json();
  return Object.fromEntries(scopes.map((scope) => [scope, server.casesThroughSeq ?? 0]));
}

/** Sends each request to the next backend in turn. */
function roundRobin(backends) {
  let next = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const proxy = http.createServer((req, res) => {
    const target = new URL(req.url ?? '/', backends[next++ % backends.length]);
    const upstream = http.request(target, { method: req.method, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    proxy.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${proxy.address().port}`, proxy, agent })),
  );
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10;
}

/** A photo's bytes (random: incompressible, like a JPEG), made when the device is about to send it. */
function photo(name) {
  const bytes = randomBytes(photoBytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { name, sha256, bytes: bytes.length, body: bytes };
}

/** Uploads one photo over tus (create, then the whole file in one PATCH); true once it is stored. */
async function upload(url, headers, projectId, instanceId, file) {
  const metadata = { sha256: file.sha256, projectId, instanceId, name: file.name, contentType: 'image/jpeg' };
  const created = await fetch(`${url}/api/v1/uploads`, {
    method: 'POST',
    headers: {
      authorization: headers.authorization,
      'tus-resumable': '1.0.0',
      'upload-length': String(file.bytes),
      'upload-metadata': Object.entries(metadata)
        .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
        .join(','),
    },
  });
  const location = created.headers.get('location');
  await created.arrayBuffer();
  if (created.status !== 201 || location === null) return false;
  const patched = await fetch(new URL(location, url), {
    method: 'PATCH',
    headers: {
      authorization: headers.authorization,
      'tus-resumable': '1.0.0',
      'upload-offset': '0',
      'content-type': 'application/offset+octet-stream',
    },
    body: file.body,
  });
  await patched.arrayBuffer();
  return patched.status === 204;
}

async function device(url, server, me, d, stats, heldCursors) {
  const items = Array.from({ length: perDevice }, (_, i) => {
    const instanceId = `uuid:${randomUUID()}`;
    const xml = householdXml({
      instanceId,
      entityId: uuidOf(`${d}-${i}-${instanceId}`),
      version: server.formVersion,
      n: d * perDevice + i,
      // A khoroo worker registers households of her khoroo.
      bag: me.khoroo,
    });
    return {
      seq: i + 1,
      instanceId,
      projectId: server.projectId,
      formId: server.formId,
      formVersion: server.formVersion,
      xml,
      createdAt: '2026-03-01T01:20:00.000Z',
      // Every 1/photoShare-th item, spread evenly: 0.2 gives items 4, 9, 14, … a photo.
      attachments: [],
      photo: Math.floor((i + 1) * photoShare) > Math.floor(i * photoShare) ? `photo-${i}.jpg` : null,
    };
  });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${me.token}` };
  let cursors = heldCursors;
  let pending = items;
  let nextBatchAt = performance.now() + Math.random() * batchPeriodMs;
  for (let attempt = 0; pending.length > 0 && attempt < 10 * items.length; attempt++) {
    if (batchPeriodMs > 0) {
      await sleep(nextBatchAt - performance.now());
      nextBatchAt += batchPeriodMs;
    }
    const slice = pending.slice(0, batch);
    try {
      for (const item of slice) {
        if (item.photo === null) continue;
        item.file ??= photo(item.photo);
        item.attachments = [{ name: item.file.name, sha256: item.file.sha256, bytes: item.file.bytes }];
        if (item.file.body === null) continue;
        const t = performance.now();
        if (await upload(url, headers, server.projectId, item.instanceId, item.file)) {
          stats.photos += 1;
          stats.uploaded.push(`${item.instanceId} ${item.file.sha256}`);
          stats.photoBytes += item.file.bytes;
          stats.uploadLatencies.push(performance.now() - t);
          item.file.body = null; // stored: the device lets go of it
        } else stats.errors += 1; // tried again with the batch's next attempt
      }
    } catch (error) {
      stats.errors += 1;
      if (stats.errors === 1) log(`  first upload error: ${error}`);
    }
    const body = {
      protocol: 2,
      deviceId: me.deviceId,
      fromSeq: slice[0].seq,
      throughSeq: slice.at(-1).seq,
      items: slice.map((item) => {
        const { seq, instanceId, projectId, formId, formVersion, xml, createdAt, attachments } = item;
        return { seq, instanceId, projectId, formId, formVersion, xml, createdAt, attachments };
      }),
    };
    const t0 = performance.now();
    try {
      const response = await fetch(`${url}/api/v1/sync/push`, { method: 'POST', headers, body: JSON.stringify(body) });
      const text = await response.text();
      stats.latencies.push(performance.now() - t0);
      if (!response.ok) {
        stats.errors += 1;
        if (stats.errors === 1) log(`  first error: ${response.status} ${text.slice(0, 300)}`);
        continue;
      }
      const result = JSON.parse(text);
      for (const r of result.results) {
        if (r.outcome === 'accepted' || r.outcome === 'duplicate') stats.acked.add(r.instanceId);
        else {
          stats.errors += 1;
          if (stats.errors === 1) log(`  first refusal: ${JSON.stringify(r)}`);
        }
      }
      pending = pending.filter((i) => i.seq > result.ackedThrough);
      const pulled = await fetch(`${url}/api/v1/sync/pull`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ protocol: 2, deviceId: me.deviceId, cursors, maxBytes: 1_000_000 }),
      });
      if (!pulled.ok) stats.errors += 1;
      else {
        const page = await pulled.json();
        cursors = page.cursors;
        for (const group of page.groups) stats.pulled += group.seqs.length;
      }
    } catch (error) {
      stats.errors += 1;
      if (stats.errors === 1) log(`  first error: ${error}`);
    }
  }
}

/** What the database holds once the processes have stopped: instance ids and linked photos. */
async function storedState(dataDir, databaseUrl) {
  const { openStore } = await import('@outpost/server');
  const store = await openStore({ databaseUrl, sqlitePath: join(dataDir, 'outpost.db') });
  try {
    const rows = await store.db.selectFrom('submissions').select('instance_id').execute();
    const photos = await store.db.selectFrom('attachments').select(['instance_id', 'sha256']).execute();
    return {
      instanceIds: new Set(rows.map((r) => r.instance_id)),
      photos: new Set(photos.map((r) => `${r.instance_id} ${r.sha256}`)),
    };
  } finally {
    await store.close();
  }
}

async function runOnce(validator) {
  return withDatabase(validator, async (dataDir, databaseUrl) => {
    log(`${opts.db}/${validator}: preparing the project and ${devicesCount} device sessions`);
    const { server, devices, cursors: held } = await prepare(dataDir, databaseUrl);
    if (Number(opts.stored) > 0)
      log(`  pre-filled ${opts.stored} submissions and cases in ${server.prefillSeconds.toFixed(0)} s`);
    const profile = opts['cpu-prof'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', opts['cpu-prof']];
    const args = [
      ...profile,
      cliMain,
      'start',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
    ];
    if (databaseUrl !== null) args.push('--database-url', databaseUrl);
    const procs = [];
    const env = { OUTPOST_VALIDATOR: validator };
    for (let p = 0; p < processes; p++) procs.push(await spawnUntil(args, env, /Outpost listening on (http:\/\/\S+)/));
    // Each process's CPU once it is listening (start-up: module loading, migrations check), taken
    // before the first device request, so the per-submission figure counts serving only.
    const readyCpu = await Promise.all(procs.map((p) => cpuSeconds(p.child.pid)));
    const backends = procs.map((p) => p.match[1].replace(/\/$/, ''));
    const front = processes > 1 ? await roundRobin(backends) : null;
    const url = front?.url ?? backends[0];
    const stats = {
      latencies: [],
      uploadLatencies: [],
      errors: 0,
      acked: new Set(),
      uploaded: [],
      photos: 0,
      photoBytes: 0,
      pulled: 0,
    };
    try {
      log(
        `${opts.db}/${validator}: ${devicesCount} devices pushing ${perDevice} each through ${processes} process(es)`,
      );
      const started = performance.now();
      const clientCpuAtStart = process.cpuUsage();
      await Promise.all(devices.map((me, d) => device(url, server, me, d, stats, { ...held })));
      const clientCpu = process.cpuUsage(clientCpuAtStart);
      const seconds = (performance.now() - started) / 1000;
      const sorted = [...stats.latencies].sort((a, b) => a - b);
      const cpu = await Promise.all(procs.map((p) => cpuSeconds(p.child.pid)));
      for (const p of procs) await stop(p.child);
      const stored = await storedState(dataDir, databaseUrl);
      let lost = 0;
      for (const id of stats.acked) if (!stored.instanceIds.has(id)) lost += 1;
      for (const key of stats.uploaded) if (!stored.photos.has(key)) lost += 1;
      const missing = devicesCount * perDevice - stats.acked.size;
      return {
        db: opts.db,
        devices: devicesCount,
        stored: Number(opts.stored),
        processes,
        areas: Number(opts.areas),
        offered_per_s: offeredRate,
        validator,
        submissions_per_s: Math.round((stats.acked.size / seconds) * 10) / 10,
        p50_ms: percentile(sorted, 50),
        p95_ms: percentile(sorted, 95),
        p99_ms: percentile(sorted, 99),
        photos: stats.photos,
        photo_mb: Math.round(stats.photoBytes / 1024 / 102.4) / 10,
        upload_p95_ms: percentile(
          [...stats.uploadLatencies].sort((a, b) => a - b),
          95,
        ),
        errors: stats.errors + missing,
        lost,
        // The serving processes' CPU time per acknowledged submission, from ready to the end of
        // the run (start-up excluded); the same with start-up included beside it.
        server_cpu_ms_per_submission: cpuMsPerSubmission(cpu, readyCpu, stats.acked.size),
        server_cpu_ms_per_submission_with_startup: cpuMsPerSubmission(
          cpu,
          cpu.map(() => 0),
          stats.acked.size,
        ),
        // Cases the devices pulled over the run, all devices together (none of the pre-filled ones).
        pulled_records: stats.pulled,
        // This process's CPU over the run (devices; the proxy too with processes > 1), per submission.
        client_cpu_ms_per_submission:
          Math.round(((clientCpu.user + clientCpu.system) / 1000 / Math.max(1, stats.acked.size)) * 10) / 10,
        load_average: Math.round(loadavg()[0] * 10) / 10,
      };
    } finally {
      front?.proxy.close();
      front?.agent.destroy();
      for (const p of procs) await stop(p.child);
    }
  });
}

for (const validator of validators) {
  const result = await runOnce(validator);
  process.stdout.write(`${opts.json ? JSON.stringify(result) : JSON.stringify(result, null, 2)}\n`);
}
