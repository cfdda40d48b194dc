// The page both clients run in, driven by run.mjs through `window.syncBench`. Outpost syncs with
// the PWA's own sync engine, HTTP client and Dexie store (the code a tablet runs); PouchDB
// replicates into IndexedDB as a PouchDB/CouchDB app would. Each call reports its own wall time,
// so the figures include what the browser spends storing, not only the transfer.
import PouchDB from 'pouchdb-browser';
import { createIndexedDbStore } from '../../../packages/web/src/store/indexedDbStore.ts';
import { createHttpSyncApi } from '../../../packages/web/src/sync/createHttpSyncApi.ts';
import { createSyncEngine } from '../../../packages/web/src/sync/createSyncEngine.ts';

let outpost = null;
let couch = null;

const clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle),
};

async function outpostSync({ token, deviceId }) {
  if (outpost === null) {
    const store = createIndexedDbStore(`outpost-bench-${deviceId}`);
    const api = createHttpSyncApi({ credentials: async () => ({ authorization: `Bearer ${token}` }) });
    const engine = createSyncEngine({ store, api, clock, random: Math.random, deviceId: async () => deviceId });
    outpost = { store, engine };
  }
  const started = performance.now();
  const outcome = await outpost.engine.syncNow();
  const seconds = (performance.now() - started) / 1000;
  if (!outcome.ok) throw new Error(`Outpost sync failed: ${JSON.stringify(outcome.problem)}`);
  const records = await outpost.store.transaction('readonly', ['records'], (tx) => tx.count('records'));
  return { seconds, records };
}

async function couchSync({ remote, batchSize }) {
  if (couch === null) couch = new PouchDB('couch-bench');
  const options = batchSize === undefined ? {} : { batch_size: batchSize };
  const started = performance.now();
  const result = await couch.replicate.from(new URL(remote, globalThis.location.href).href, options);
  const seconds = (performance.now() - started) / 1000;
  if (!result.ok) throw new Error(`PouchDB replication failed: ${JSON.stringify(result.errors)}`);
  const info = await couch.info();
  return { seconds, records: info.doc_count, docsWritten: result.docs_written };
}

globalThis.syncBench = { outpostSync, couchSync };
