// The Outpost side: a fresh data folder seeded with the Mongolia template, the built server
// started as a user would (`outpost start`), device logins, and a Node-side "mirror" device whose
// pulls tell the CouchDB side exactly which records (with which properties) a device receives.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pulledRecords } from '@outpost/core';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const cliMain = join(repoRoot, 'packages/cli/dist/main.js');
const username = 'bench';
// Long, not containing the username, not on the breached list.
const password = 'Khuvsgul-nuur-2026-tsas';
const template = 'mongolia-social-protection';
const protocol = 2;

/**
 * @param {{ cases: number, log: (line: string) => void, timeoutMs: number }} options
 */
export async function startOutpostPeer({ cases, log, timeoutMs }) {
  if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing: run \`npm run build\` first`);
  const dataDir = await mkdtemp(join(tmpdir(), 'outpost-sync-bench-'));
  let child = null;
  try {
    const dirArgs = ['--data-dir', dataDir];
    await runCli(
      ['user', 'add', '--username', username, '--display-name', 'Benchmark device user'].concat([
        '--role',
        'fieldworker',
        '--password-stdin',
        ...dirArgs,
      ]),
      `${password}\n`,
      timeoutMs,
    );
    // The seed adds a membership (whole project) for every user that exists, so the user comes first.
    const seededAt = performance.now();
    const seeded = await runCli(['seed', '--template', template, '--cases', String(cases), ...dirArgs], '', timeoutMs);
    log(`outpost: ${seeded.trim()} (${((performance.now() - seededAt) / 1000).toFixed(1)} s)`);
    const started = await startServer(dataDir, timeoutMs);
    child = started.child;
    const { url } = started;
    log(`outpost: listening on ${url}`);

    return {
      url,
      dataDir,
      /** Logs in as a new device; the token is what the app keeps after login. */
      login: (deviceName) => loginDevice(url, deviceName),
      /** A device in Node that pulls everything new, uncompressed, to learn what devices receive. */
      async createMirror() {
        const device = await loginDevice(url, 'bench-mirror');
        let cursors = {};
        return {
          async pullNew() {
            const records = [];
            for (;;) {
              const page = await postJson(`${url}/api/v1/sync/pull`, device.token, {
                protocol,
                deviceId: device.deviceId,
                cursors,
                maxBytes: 8 * 1024 * 1024,
              });
              records.push(...pulledRecords(page));
              cursors = { ...cursors, ...page.cursors };
              if (!page.hasMore) return records;
            }
          },
        };
      },
      /**
       * Changes the given cases as a supervisor's edit would: a new status, so each gets a new
       * version and commit sequence. Done through the server's storage exports on the live
       * database (SQLite WAL lets a second process write while the server runs).
       */
      async changeCases(ids) {
        const server = await import('@outpost/server');
        const store = await server.openStore({ sqlitePath: server.sqlitePathOf({ dataDir }) });
        try {
          const statuses = ['open', 'in_progress', 'referred', 'closed'];
          const at = new Date().toISOString();
          for (const id of ids) {
            const entity = await server.findEntity(id, store);
            if (entity === undefined) throw new Error(`case ${id} is not in the database`);
            const next = statuses[(statuses.indexOf(entity.properties['case_status'] ?? 'open') + 1) % 4];
            await server.updateEntity(
              id,
              { properties: { ...entity.properties, case_status: next }, status: next, at },
              store,
            );
          }
        } finally {
          await store.close();
        }
      },
      async stop() {
        await stopChild(child);
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

async function loginDevice(url, deviceName) {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, device: { name: deviceName } }),
  });
  if (!response.ok) throw new Error(`outpost login failed: ${response.status} ${await response.text()}`);
  const body = await response.json();
  return { token: body.device.token, deviceId: body.device.id };
}

async function postJson(url, token, message) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(message),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

function runCli(args, input, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliMain, ...args], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`outpost ${args[0]} failed (${code ?? signal}): ${err || out}`));
    });
    child.stdin.end(input);
  });
}

function startServer(dataDir, timeoutMs) {
  const args = [cliMain, 'start', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`outpost did not start in time:\n${output}`));
    }, timeoutMs);
    createInterface({ input: child.stdout }).on('line', (line) => {
      output += `${line}\n`;
      const match = /Outpost listening on (http:\/\/\S+)/.exec(line);
      if (match !== null) {
        clearTimeout(timer);
        resolve({ child, url: match[1].replace(/\/$/, '') });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`outpost exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
}

export async function stopChild(child) {
  if (child === null || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
