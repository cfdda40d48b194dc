// The CouchDB side: pouchdb-server (express-pouchdb over LevelDB in a temp folder; it speaks
// CouchDB's replication protocol and, unlike CouchDB, gzips JSON responses) holding one document
// per case with the properties an Outpost device receives for it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from './outpostPeer.mjs';

const require = createRequire(import.meta.url);
export const couchDbName = 'cases';
const batch = 2_000;

/**
 * @param {{ log: (line: string) => void, timeoutMs: number }} options
 */
export async function startCouchPeer({ log, timeoutMs }) {
  const dir = await mkdtemp(join(tmpdir(), 'outpost-sync-bench-couch-'));
  const port = await freePort();
  const main = require.resolve('pouchdb-server/lib/index.js');
  const args = [main, '--host', '127.0.0.1', '--port', String(port), '--dir', dir];
  const child = spawn(process.execPath, [...args, '--config', join(dir, 'config.json'), '--no-stdout-logs'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const revs = new Map();
  try {
    await waitUntilUp(url, child, timeoutMs, () => output);
    await call('PUT', `${url}/${couchDbName}`);
    log(`couchdb: pouchdb-server listening on ${url}`);
  } catch (error) {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    url,
    /** Creates or updates documents (one per case), keeping each one's current revision. */
    async put(docs) {
      for (let i = 0; i < docs.length; i += batch) {
        const slice = docs.slice(i, i + batch).map((doc) => {
          const rev = revs.get(doc._id);
          return rev === undefined ? doc : { ...doc, _rev: rev };
        });
        const results = await call('POST', `${url}/${couchDbName}/_bulk_docs`, { docs: slice });
        for (const result of results) {
          if (result.ok !== true) throw new Error(`couchdb refused ${result.id}: ${JSON.stringify(result)}`);
          revs.set(result.id, result.rev);
        }
      }
    },
    async stop() {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One document per case: its id, its list as `type`, and the properties as the device sees them.
 * CouchDB reserves top-level names starting with `_`, so Outpost's derived `__label`, `__status`
 * … lose their underscores (`label`, `status` …; no case property has those names).
 */
export function caseDocument([id, list, , , , properties]) {
  const renamed = Object.entries(properties).map(([key, value]) => [key.replace(/^_+/, ''), value]);
  return { _id: id, type: list, ...Object.fromEntries(renamed) };
}

async function call(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function waitUntilUp(url, child, timeoutMs, output) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`pouchdb-server exited (${child.exitCode}):\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`pouchdb-server did not start in time:\n${output()}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
