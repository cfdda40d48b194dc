import { encodeRecordGroups, scopeDigest } from '@outpost/core';
import type { DigestCheck, PullPage, PulledRecord, PushItemResult, PushRequest, ScopeVerdict } from '@outpost/core';
import { describe, expect, it } from 'vitest';
import { createFullStore } from '../store/createFullStore.js';
import type { LocalStore } from '../store/LocalStore.js';
import { readCursors } from '../store/applyPullPage.js';
import { createMemoryStore } from '../store/memoryStore.js';
import { listRejected, pendingCount } from '../store/outbox.js';
import { saveRecord } from '../store/saveRecord.js';
import { createSyncEngine, type NetworkSignal, type SyncClock, type SyncEngineOptions } from './createSyncEngine.js';
import { listDeviceRecords } from './listDeviceRecords.js';
import type { SyncApi } from './SyncApi.js';
import { SyncFailure } from './SyncFailure.js';
import type { SyncStatus } from './SyncStatus.js';

// ---- a small in-memory server speaking the protocol ------------------------------------------

const scope = 'p.proj1.g1.0all';

interface ServerRecord {
  id: string;
  list: string;
  version: number;
  seq: number;
  label: string;
}

type Endpoint = 'push' | 'pull' | 'digest';

function createFakeServer(options: { pageSize?: number } = {}) {
  const pageSize = options.pageSize ?? 2;
  const records: ServerRecord[] = [];
  const submissions = new Map<string, PushRequest['items'][number]>();
  const faults: Record<Endpoint, (Error | 'ok')[]> = { push: [], pull: [], digest: [] };
  const rejectInstances = new Map<string, string>();
  const requests: { endpoint: Endpoint; body: unknown }[] = [];
  let digestVerdict: ScopeVerdict['verdict'] | null = null;
  let seq = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const add = (id: string, label: string): void => {
    seq += 1;
    const existing = records.find((r) => r.id === id);
    if (existing) {
      existing.version += 1;
      existing.seq = seq;
      existing.label = label;
    } else records.push({ id, list: 'cases', version: 1, seq, label });
  };

  async function enter<T>(endpoint: Endpoint, body: unknown, answer: () => T): Promise<{ body: T; bytes: number }> {
    requests.push({ endpoint, body });
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await Promise.resolve();
      const fault = faults[endpoint].shift();
      if (fault instanceof Error) throw fault;
      const value = answer();
      return { body: value, bytes: JSON.stringify(body).length + JSON.stringify(value).length };
    } finally {
      inFlight -= 1;
    }
  }

  const api: SyncApi = {
    push: (request) =>
      enter('push', request, () => {
        const results: PushItemResult[] = request.items.map((item) => {
          const reason = rejectInstances.get(item.instanceId);
          if (reason !== undefined) {
            return {
              seq: item.seq,
              instanceId: item.instanceId,
              outcome: 'rejected',
              code: reason,
              detail: 'No such form',
            };
          }
          if (submissions.has(item.instanceId))
            return { seq: item.seq, instanceId: item.instanceId, outcome: 'duplicate' };
          submissions.set(item.instanceId, item);
          add(`case-${item.instanceId}`, `from ${item.instanceId}`);
          return { seq: item.seq, instanceId: item.instanceId, outcome: 'accepted' };
        });
        return { ackedThrough: request.throughSeq, results };
      }),
    pull: (request) =>
      enter('pull', request, () => {
        const after = request.cursors[scope] ?? 0;
        const changed = records.filter((r) => r.seq > after).sort((a, b) => a.seq - b.seq);
        const page = changed.slice(0, pageSize);
        const last = page[page.length - 1];
        const tuples: PulledRecord[] = page.map((r) => [r.id, r.list, scope, r.version, r.seq, { __label: r.label }]);
        const result: PullPage = {
          groups: encodeRecordGroups(tuples),
          evictions: [],
          cursors: { [scope]: changed.length > pageSize && last ? last.seq : seq },
          scopes: [scope],
          hasMore: changed.length > pageSize,
          remaining: Math.max(changed.length - pageSize, 0),
        };
        return result;
      }),
    digest: (request: DigestCheck) =>
      enter('digest', request, () => ({
        scopes: request.scopes.map((s) => {
          const mine = scopeDigest(records.filter((r) => r.seq <= s.cursor));
          const verdict = digestVerdict ?? (mine.hash === s.hash ? 'match' : 'drift');
          return { scope: s.scope, verdict };
        }),
      })),
  };
  return {
    api,
    records,
    submissions,
    requests,
    add,
    fail(endpoint: Endpoint, ...errors: (Error | 'ok')[]) {
      faults[endpoint].push(...errors);
    },
    reject(instanceId: string, code: string) {
      rejectInstances.set(instanceId, code);
    },
    accept(instanceId: string) {
      rejectInstances.delete(instanceId);
    },
    setDigestVerdict(verdict: ScopeVerdict['verdict'] | null) {
      digestVerdict = verdict;
    },
    maxInFlight: () => maxInFlight,
  };
}

function createFakeClock(start = Date.parse('2026-05-01T08:00:00Z')) {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const clock: SyncClock = {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
  };
  return {
    clock,
    /** The delay of the one timer waiting, if any. */
    pendingDelay(): number | null {
      const next = [...timers.values()].sort((a, b) => a.at - b.at)[0];
      return next === undefined ? null : next.at - now;
    },
    async advance(ms: number): Promise<void> {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].callback();
        await settle();
      }
      now = until;
    },
  };
}

function createFakeNetwork(online = true) {
  let state = online;
  const listeners = new Set<(online: boolean) => void>();
  const network: NetworkSignal = {
    isOnline: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    network,
    set(next: boolean) {
      state = next;
      for (const listener of listeners) listener(next);
    },
  };
}

/** Lets every queued promise run (the fake server and the memory store only await microtasks). */
async function settle(): Promise<void> {
  for (let i = 0; i < 50; i += 1) await new Promise<void>((resolve) => setTimeout(resolve, 0));
}

/** A seeded generator (mulberry32) so the jitter is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function saveCase(store: LocalStore, n: number): Promise<void> {
  await saveRecord(
    store,
    { id: `local-${n}`, list: 'cases', properties: { __label: `Household ${n}`, __projectId: 'proj1' } },
    {
      instanceId: `uuid:${n}`,
      projectId: 'proj1',
      formId: 'registration',
      formVersion: '1',
      xml: `<data id="registration"><n>${n}</n></data>`,
      createdAt: '2026-05-01T07:00:00Z',
      attachments: [],
    },
  );
}

function setup(overrides: Partial<SyncEngineOptions> = {}, serverOptions: { pageSize?: number } = {}) {
  const server = createFakeServer(serverOptions);
  const time = createFakeClock();
  const net = createFakeNetwork();
  const store = overrides.store ?? createMemoryStore();
  const seen: SyncStatus[] = [];
  const wiped: string[] = [];
  const engine = createSyncEngine({
    store,
    api: server.api,
    clock: time.clock,
    random: seeded(42),
    network: net.network,
    deviceId: async () => 'device-1',
    wipe: async (directive) => {
      wiped.push(directive.reason);
    },
    ...overrides,
  });
  engine.subscribe((status) => seen.push(status));
  return { server, time, net, store, engine, seen, wiped };
}

const unavailable = (): SyncFailure =>
  new SyncFailure({ status: 503, code: 'server.unavailable', detail: 'Down for maintenance' });

// ---- behaviour -------------------------------------------------------------------------------

describe('a sync', () => {
  it('sends what was saved offline, brings the caseload, and says when it last succeeded', async () => {
    const { server, store, engine } = setup();
    server.add('c-1', 'Existing case');
    await saveCase(store, 1);
    await saveCase(store, 2);

    const outcome = await engine.syncNow();

    expect(outcome).toEqual({ ok: true });
    expect([...server.submissions.keys()]).toEqual(['uuid:1', 'uuid:2']);
    expect(await pendingCount(store)).toBe(0);
    const labels = (await listDeviceRecords(store)).map((r) => [r.label, r.state]);
    expect(labels).toContainEqual(['Existing case', 'synced']);
    expect(labels).toContainEqual(['from uuid:1', 'synced']);
    expect(engine.status()).toMatchObject({
      phase: 'idle',
      pending: 0,
      error: null,
      lastSuccessAt: '2026-05-01T08:00:00.000Z',
    });
  });

  it('with nothing to do is one request', async () => {
    const { server, engine } = setup();
    await engine.syncNow(); // the first sync also checks digests (once a day)
    server.requests.length = 0;

    await engine.syncNow();

    expect(server.requests.map((r) => r.endpoint)).toEqual(['pull']);
  });

  it('pushes a large outbox in batches, oldest first', async () => {
    const { server, store, engine } = setup({ pushMaxItems: 2 });
    for (let n = 1; n <= 5; n += 1) await saveCase(store, n);

    await engine.syncNow();

    const pushes = server.requests
      .filter((r) => r.endpoint === 'push')
      .map((r) => (r.body as PushRequest).items.map((i) => i.seq));
    expect(pushes).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('never runs two syncs at once; a sync asked for meanwhile runs after', async () => {
    const { server, store, engine } = setup();
    await saveCase(store, 1);
    const first = engine.syncNow();
    await saveCase(store, 2);
    const second = engine.syncNow();
    const third = engine.syncNow();

    await Promise.all([first, second, third]);

    expect(server.maxInFlight()).toBe(1);
    expect(server.submissions.has('uuid:2')).toBe(true);
  });
});

describe('failures', () => {
  it('retries transient failures with exponential backoff and full jitter, then succeeds', async () => {
    const { server, store, engine, time } = setup();
    await saveCase(store, 1);
    server.fail('push', unavailable(), unavailable(), unavailable());
    engine.start();
    await settle();

    const delays: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      expect(engine.status().phase).toBe('waiting');
      expect(engine.status().error).toMatchObject({ code: 'server.unavailable', retryable: true });
      const delay = time.pendingDelay();
      if (delay === null) throw new Error('no retry scheduled');
      delays.push(delay);
      await time.advance(delay);
    }

    // Retry n waits between half and all of 1 s · 2^n.
    delays.forEach((delay, n) => {
      expect(delay).toBeGreaterThanOrEqual(500 * 2 ** n);
      expect(delay).toBeLessThanOrEqual(1000 * 2 ** n);
    });
    expect(engine.status()).toMatchObject({ phase: 'idle', error: null, pending: 0 });
    expect(server.submissions.has('uuid:1')).toBe(true);
    engine.stop();
  });

  it('waits at least as long as the server asks', async () => {
    const { server, engine, time } = setup();
    server.fail('pull', new SyncFailure({ status: 429, code: 'request.rate-limited', retryAfterSeconds: 120 }));
    await engine.syncNow();
    // syncNow alone does not start the timers; start() does. Ask again the way the app does.
    engine.start();
    server.fail('pull', new SyncFailure({ status: 429, code: 'request.rate-limited', retryAfterSeconds: 120 }));
    await settle();
    expect(time.pendingDelay()).toBeGreaterThanOrEqual(120_000);
    engine.stop();
  });

  it('does not retry by itself what the server refused for good, and shows it', async () => {
    const { server, engine, time } = setup();
    server.fail('pull', new SyncFailure({ status: 403, code: 'auth.forbidden', detail: 'Not a member' }));
    engine.start();
    await settle();
    expect(engine.status()).toMatchObject({ phase: 'idle', error: { code: 'auth.forbidden', retryable: false } });
    expect(engine.status().nextAttemptAt).toBeNull();
    // Only the regular timer remains, not a quick retry.
    expect(time.pendingDelay()).toBe(5 * 60_000);
    engine.stop();
  });

  it('a failure mid-pull leaves the cursor at the last page applied, and the next sync resumes there (R5)', async () => {
    const { server, store, engine } = setup({}, { pageSize: 2 });
    for (let n = 1; n <= 6; n += 1) server.add(`c-${n}`, `Case ${n}`);
    server.fail('pull', 'ok', unavailable());

    const outcome = await engine.syncNow();

    expect(outcome.ok).toBe(false);
    expect(await readCursors(store)).toEqual({ [scope]: 2 });
    expect((await listDeviceRecords(store)).map((r) => r.id)).toEqual(['c-1', 'c-2']);
    expect(engine.status().lastSuccessAt).toBeNull();

    server.requests.length = 0;
    await engine.syncNow();
    const firstPull = server.requests.find((r) => r.endpoint === 'pull')?.body as { cursors: Record<string, number> };
    expect(firstPull.cursors).toEqual({ [scope]: 2 });
    expect((await listDeviceRecords(store)).map((r) => r.id)).toHaveLength(6);
  });

  it('a full device during pull keeps the outbox and the cursor, and tells the user (R4)', async () => {
    const inner = createMemoryStore();
    await saveCase(inner, 1);
    const full = createFullStore(inner, 3);
    const { server, engine } = setup({ store: full }, { pageSize: 50 });
    server.reject('uuid:1', 'submission.form-unknown');
    for (let n = 1; n <= 10; n += 1) server.add(`c-${n}`, `Case ${n}`);

    const outcome = await engine.syncNow();

    expect(outcome).toMatchObject({ ok: false, problem: { code: 'device.storage-full', retryable: false } });
    expect(engine.status().error?.code).toBe('device.storage-full');
    expect(engine.status().lastSuccessAt).toBeNull();
    expect(await readCursors(inner)).toEqual({});
    const rejected = await listRejected(inner);
    expect(rejected.map((e) => e.item.instanceId)).toEqual(['uuid:1']);
    // All or nothing: no record of the page that did not fit.
    expect(await listDeviceRecords(inner)).toEqual([]);
  });

  it('never reports success when the attachment upload failed', async () => {
    const { store, engine } = setup({
      uploadAttachments: async () => {
        throw new SyncFailure({ status: 0, code: 'network.unreachable' });
      },
    });
    await saveCase(store, 1);

    const outcome = await engine.syncNow();

    expect(outcome.ok).toBe(false);
    expect(engine.status().lastSuccessAt).toBeNull();
    expect(engine.status().error?.code).toBe('network.unreachable');
  });

  it('keeps the last success time but shows the new failure', async () => {
    const { server, engine, seen } = setup();
    await engine.syncNow();
    const firstSuccess = engine.status().lastSuccessAt;
    server.fail('pull', unavailable());

    await engine.syncNow();

    expect(engine.status()).toMatchObject({ lastSuccessAt: firstSuccess, error: { code: 'server.unavailable' } });
    // No status after the failure claims a clean state.
    const afterFailure = seen.slice(seen.findIndex((s) => s.error !== null));
    expect(afterFailure.every((s) => s.error !== null)).toBe(true);
  });

  it('obeys a wipe directive: erases the device and stops', async () => {
    const wipedTo: string[] = [];
    const { server, store, engine, wiped } = setup({ onWiped: (directive) => wipedTo.push(directive.reason) });
    await saveCase(store, 1);
    server.fail(
      'push',
      new SyncFailure({
        status: 401,
        code: 'auth.device-revoked',
        wipe: { reason: 'device-revoked', issuedAt: '2026-05-01T07:59:00Z' },
      }),
    );

    await engine.syncNow();

    expect(wiped).toEqual(['device-revoked']);
    expect(wipedTo).toEqual(['device-revoked']);
    expect(engine.status().phase).toBe('wiped');
    server.requests.length = 0;
    await engine.syncNow();
    expect(server.requests).toEqual([]);
  });
});

describe('rejected items', () => {
  it('stay on the device with the reason, can be retried and discarded', async () => {
    const { server, store, engine } = setup();
    await saveCase(store, 1);
    await saveCase(store, 2);
    server.reject('uuid:2', 'submission.form-unknown');

    await engine.syncNow();

    expect(engine.status()).toMatchObject({ pending: 0, rejected: 1 });
    const rejected = await listRejected(store);
    expect(rejected.map((e) => [e.item.instanceId, e.rejection?.code])).toEqual([
      ['uuid:2', 'submission.form-unknown'],
    ]);
    // Rejected items are not sent again by themselves.
    server.requests.length = 0;
    await engine.syncNow();
    expect(server.requests.filter((r) => r.endpoint === 'push')).toEqual([]);

    server.accept('uuid:2');
    await engine.retryRejected(rejected.map((e) => e.seq));
    expect(server.submissions.has('uuid:2')).toBe(true);
    expect(engine.status().rejected).toBe(0);
  });

  it('are listed with the record until discarded', async () => {
    const { server, store, engine } = setup();
    await saveCase(store, 7);
    server.reject('uuid:7', 'submission.invalid');
    await engine.syncNow();

    const exported = JSON.parse(await engine.exportUnsent()) as {
      entries: { state: string; rejection: { code: string } }[];
    };
    expect(exported.entries).toMatchObject([{ state: 'rejected', rejection: { code: 'submission.invalid' } }]);

    const [entry] = await listRejected(store);
    await engine.discardRejected([entry?.seq ?? 0]);
    expect(engine.status().rejected).toBe(0);
    expect(await listRejected(store)).toEqual([]);
  });
});

describe('network', () => {
  it('syncs when the device comes back online', async () => {
    const { server, store, engine, net } = setup();
    net.set(false);
    engine.start();
    await settle();
    expect(engine.status().phase).toBe('offline');
    await saveCase(store, 3);
    await engine.syncNow();
    expect(server.requests).toEqual([]);

    net.set(true);
    await settle();

    expect(server.submissions.has('uuid:3')).toBe(true);
    expect(engine.status().phase).toBe('idle');
    engine.stop();
  });

  it('syncs periodically while online', async () => {
    const { server, engine, time } = setup();
    engine.start();
    await settle();
    server.requests.length = 0;
    await time.advance(5 * 60_000);
    expect(server.requests.map((r) => r.endpoint)).toEqual(['pull']);
    engine.stop();
  });
});

describe('progress', () => {
  it('counts records and bytes as they arrive and estimates the time left from the measured rate', async () => {
    const time = createFakeClock();
    const server = createFakeServer({ pageSize: 2 });
    for (let n = 1; n <= 6; n += 1) server.add(`c-${n}`, `Case ${n}`);
    // Each page takes a second on this link.
    const slow: SyncApi = {
      ...server.api,
      pull: async (request) => {
        const answer = await server.api.pull(request);
        await time.advance(1_000);
        return answer;
      },
    };
    const engine = createSyncEngine({
      store: createMemoryStore(),
      api: slow,
      clock: time.clock,
      random: seeded(1),
      network: createFakeNetwork().network,
      deviceId: async () => 'device-1',
    });
    const seen: SyncStatus[] = [];
    engine.subscribe((status) => seen.push(status));

    await engine.syncNow();

    const pulls = seen.flatMap((s) => (s.progress?.stage === 'pull' && s.progress.recordsDone > 0 ? [s.progress] : []));
    expect(pulls[0]).toMatchObject({ recordsDone: 2, recordsTotal: 6, etaMs: 2_000 });
    expect(pulls[0]?.bytesDone).toBeGreaterThan(0);
    expect(pulls[0]?.bytesTotal).toBe((pulls[0]?.bytesDone ?? 0) * 3);
    expect(pulls.at(-1)).toMatchObject({ recordsDone: 6, recordsTotal: 6, etaMs: 0 });
    expect(engine.status().progress).toBeNull();
  });
});

describe('digest repair', () => {
  it('drops a scope that drifted and pulls it again from the start', async () => {
    const { server, store, engine, time } = setup({ digestEveryMs: 1_000 });
    server.add('c-1', 'One');
    server.add('c-2', 'Two');
    await engine.syncNow();
    // The device lost a record behind the store's back.
    await store.transaction('readwrite', ['records'], (tx) => tx.delete('records', ['c-2']));
    await time.advance(2_000);
    server.requests.length = 0;

    await engine.syncNow();

    expect(server.requests.map((r) => r.endpoint)).toEqual(['pull', 'digest', 'pull']);
    expect((await listDeviceRecords(store)).map((r) => r.id)).toEqual(['c-1', 'c-2']);
  });
});

describe('the server’s change stream', () => {
  it('syncs when the server says a case changed, not only on the timer, and stops listening on stop', async () => {
    const listener: { tell: (() => void) | null } = { tell: null };
    const { server, engine } = setup({
      changes: {
        subscribe(onChange) {
          listener.tell = onChange;
          return () => {
            listener.tell = null;
          };
        },
      },
    });
    engine.start();
    await settle();
    const before = server.requests.length;
    server.add('c-9', 'Changed elsewhere');
    listener.tell?.();
    await settle();
    expect(server.requests.length).toBeGreaterThan(before);
    expect(server.requests.at(-1)?.endpoint).toBe('pull');
    engine.stop();
    expect(listener.tell).toBeNull();
  });
});
