// Runs in headless Chromium: a device store of N sealed cases (IndexedDB + AES-GCM, as a tablet
// holds them), then the tasks screen's work timed: read and open every record, compute the tasks;
// first after unlocking, then again with the opened copy kept, then after 100 records changed.
// The peer, on the same records in the same run, is the obvious way to write the computation:
// a Date object per value, date arithmetic and a comparator sort with localeCompare.
import { createIndexedDbStore } from '../../../packages/web/src/store/indexedDbStore.ts';
import { dataContext } from '../../../packages/web/src/store/saveRecord.ts';
import { forgetOpenedRecords, listOpenedRecords } from '../../../packages/web/src/sync/openedRecords.ts';
import { listDeviceRecords } from '../../../packages/web/src/sync/listDeviceRecords.ts';
import { createVault } from '../../../packages/web/src/vault/createVault.ts';
import { createVaultCodec } from '../../../packages/web/src/vault/createVaultCodec.ts';
import { computeTasks, taskRulesFor } from '../../../packages/web/src/features/tasks/computeTasks.ts';
import { taskCaseOf } from '../../../packages/web/src/features/tasks/deviceTasks.ts';

const TODAY = '2026-12-07';
const PROJECT = '00000000-0000-4000-8000-000000000001';
const RISKS = ['low', 'medium', 'high', undefined];
const STATUSES = ['open', 'in_progress', 'referred', 'closed'];
const rules = taskRulesFor('cases', ['next_visit_date', 'review_due_date', 'last_referral_date', 'last_visit_date']);

/** A deterministic pseudo-random stream, so every run holds the same cases. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function day(offset) {
  return new Date(Date.UTC(2026, 11, 7) + offset * 86_400_000).toISOString().slice(0, 10);
}

function makeCase(i, next) {
  const properties = {
    __label: `Өрх ${i}`,
    __status: STATUSES[Math.floor(next() * STATUSES.length)],
    __projectId: PROJECT,
    __assigneeId: next() < 0.5 ? 'user-a' : 'user-b',
    head_given_name: `Нэр${i}`,
    needs: 'food heating_winter',
    last_visit_date: day(-Math.floor(next() * 90)),
  };
  if (next() < 0.8) properties.next_visit_date = day(Math.floor(next() * 60) - 20);
  if (next() < 0.5) properties.review_due_date = day(Math.floor(next() * 120) - 30);
  if (next() < 0.3) properties.last_referral_date = day(-Math.floor(next() * 40));
  const risk = RISKS[Math.floor(next() * RISKS.length)];
  if (risk !== undefined) properties.risk_level = risk;
  return { id: `case-${String(i).padStart(6, '0')}`, properties };
}

/** The peer: the same rules written the obvious way. */
function naiveTasks(cases, today) {
  const now = new Date(`${today}T00:00:00Z`);
  const out = { overdue: [], soon: [], later: [] };
  const rank = { high: 3, medium: 2, low: 1 };
  for (const c of cases) {
    if (['closed', 'archived', 'transferred'].includes(c.status)) continue;
    for (const rule of rules) {
      if (rule.whileStatus !== undefined && c.status !== rule.whileStatus) continue;
      const value = c.properties[rule.property];
      if (typeof value !== 'string') continue;
      const due = new Date(`${value.slice(0, 10)}T00:00:00Z`);
      if (Number.isNaN(due.getTime())) continue;
      due.setUTCDate(due.getUTCDate() + rule.afterDays);
      const inDays = Math.round((due.getTime() - now.getTime()) / 86_400_000);
      const task = { caseId: c.id, label: c.label, due, inDays, priority: rank[c.properties.risk_level] ?? 0 };
      (inDays < 0 ? out.overdue : inDays <= 7 ? out.soon : out.later).push(task);
    }
  }
  const order = (a, b) => b.priority - a.priority || a.due - b.due || a.label.localeCompare(b.label);
  for (const group of Object.values(out)) group.sort(order);
  return out;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: +percentile(sorted, 50).toFixed(1), p95: +percentile(sorted, 95).toFixed(1) };
}

/** Milliseconds for one IDBObjectStore.getAll of every record, straight on IndexedDB. */
function rawGetAll(name) {
  return new Promise((resolve, reject) => {
    const opening = globalThis.indexedDB.open(name);
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const db = opening.result;
      const started = performance.now();
      const request = db.transaction('records', 'readonly').objectStore('records').getAll();
      request.onerror = () => reject(request.error);
      request.onsuccess = () => {
        const ms = performance.now() - started;
        db.close();
        resolve(ms);
      };
    };
  });
}

globalThis.runBench = async (n, rounds) => {
  const vault = createVault();
  await vault.setup('bench-Хавар-2026');
  const codec = createVaultCodec(vault);
  const store = createIndexedDbStore(`tasks-bench-${n}`);
  await store.transaction('readwrite', ['records'], (tx) => tx.clear('records'));
  const next = random(42);
  const rows = [];
  for (let i = 0; i < n; i += 1) {
    const c = makeCase(i, next);
    rows.push({
      id: c.id,
      list: 'cases',
      scope: `p.${PROJECT}.1.0`,
      version: 1,
      seq: i + 1,
      data: await codec.seal(c.properties, dataContext(c.id)),
      pending: null,
      pendingSeq: 0,
    });
  }
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000);
    await store.transaction('readwrite', ['records'], (tx) => tx.put('records', chunk));
  }

  // Three ways to the task list, each round: the first open after unlocking (every record
  // decrypted), the screen opened again while unlocked with nothing changed (the kept opened copy:
  // no store read, no decryption), and after a sync changed 100 records (the store read again,
  // those 100 decrypted again).
  const engines = { 'outpost, opened copy kept': [], 'outpost, first open after unlock': [], naive: [] };
  const coldMs = [];
  const warmMs = [];
  const changedMs = [];
  const changedWholeReadMs = [];
  const storeReadMs = [];
  const decryptMs = [];
  const rawGetAllMs = [];
  const computeMs = { outpost: [], naive: [] };
  let counts = null;
  for (let round = 0; round < rounds; round += 1) {
    // A new object per round is a new unlocked session: nothing opened yet.
    // `revision` moves when the device's records change, as DeviceSync's does after a sync.
    let revision = 0;
    const device = { store, codec, revision: () => revision };
    const t0 = performance.now();
    const records = await listOpenedRecords(device, PROJECT);
    const t1 = performance.now();
    const cases = records.map(taskCaseOf);
    const ours = computeTasks(cases, rules, TODAY);
    const t2 = performance.now();
    const theirs = naiveTasks(cases, TODAY);
    const t3 = performance.now();
    const kept = await listOpenedRecords(device, PROJECT);
    const t3a = performance.now();
    const again = computeTasks(kept.map(taskCaseOf), rules, TODAY);
    const t4 = performance.now();
    // Where the first open's time goes: the store read alone (structured clone of every sealed
    // row), then the decryption alone (every row's value opened, all at once).
    const r0 = performance.now();
    const stored = await store.transaction('readonly', ['records'], (tx) => tx.list('records'));
    const r1 = performance.now();
    await Promise.all(stored.map((row) => codec.open(row.data, dataContext(row.id))));
    const r2 = performance.now();
    storeReadMs.push(r1 - r0);
    decryptMs.push(r2 - r1);
    // The same read without Dexie: one IDBObjectStore.getAll, to tell the adapter's cost from the clone's.
    rawGetAllMs.push(await rawGetAll(`tasks-bench-${n}`));
    const previous = new Map(records.map((record) => [record.id, record]));
    const synced = [];
    for (const row of rows.slice(round * 100, round * 100 + 100)) {
      const c = makeCase(Number(row.id.slice(5)), next);
      synced.push({
        ...row,
        version: row.version + round + 1,
        data: await codec.seal(c.properties, dataContext(row.id)),
      });
    }
    await store.transaction('readwrite', ['records'], (tx) => tx.put('records', synced));
    revision += 1;
    const t5 = performance.now();
    computeTasks((await listOpenedRecords(device, PROJECT)).map(taskCaseOf), rules, TODAY);
    const t6 = performance.now();
    // The same refresh as before the change stamp: the whole store read, the 100 changed opened.
    computeTasks((await listDeviceRecords(store, { codec, previous })).map(taskCaseOf), rules, TODAY);
    changedWholeReadMs.push(performance.now() - t6);
    forgetOpenedRecords(device);
    coldMs.push(t1 - t0);
    warmMs.push(t3a - t3);
    changedMs.push(t6 - t5);
    computeMs.outpost.push(t2 - t1);
    computeMs.naive.push(t3 - t2);
    engines['outpost, first open after unlock'].push(t2 - t0);
    engines['outpost, opened copy kept'].push(t4 - t3);
    engines.naive.push(t1 - t0 + (t3 - t2));
    counts = {
      overdue: ours.overdue.length,
      soon: ours.soon.length,
      later: ours.later.length,
      agree:
        ours.overdue.length === theirs.overdue.length &&
        ours.soon.length === theirs.soon.length &&
        ours.later.length === theirs.later.length &&
        again.overdue.length === ours.overdue.length,
    };
  }
  await store.destroy();
  await vault.destroy();
  const read = {
    cold: summary(coldMs),
    kept: summary(warmMs),
    after100Changed: summary(changedMs),
    after100ChangedWholeRead: summary(changedWholeReadMs),
  };
  return Object.keys(engines).map((engine) => ({
    engine,
    cases: n,
    rounds,
    sealed: true,
    readAndOpenMs: engine === 'outpost, opened copy kept' ? read.kept : read.cold,
    ...(engine === 'outpost, opened copy kept'
      ? {
          totalAfter100ChangedMs: read.after100Changed,
          totalAfter100ChangedWholeStoreReadMs: read.after100ChangedWholeRead,
        }
      : {}),
    ...(engine === 'outpost, first open after unlock'
      ? {
          storeReadOnlyMs: summary(storeReadMs),
          decryptOnlyMs: summary(decryptMs),
          rawGetAllOnlyMs: summary(rawGetAllMs),
        }
      : {}),
    computeMs: summary(computeMs[engine === 'naive' ? 'naive' : 'outpost']),
    totalMs: summary(engines[engine]),
    tasks: counts,
  }));
};

globalThis.benchReady = true;
