import type { ChangeSignal } from './changeStream.js';
import { protocolLimits } from '@outpost/core';
import type { WipeDirective } from '@outpost/core';
import type { LocalStore } from '../store/LocalStore.js';
import { isQuotaExceeded } from '../store/LocalStore.js';
import { discardRejected, exportUnsent } from '../store/outbox.js';
import { plainCodec } from '../store/ValueCodec.js';
import type { ValueCodec } from '../store/ValueCodec.js';
import { wipeDevice } from '../vault/index.js';
import { backoffDelay } from './backoffDelay.js';
import type { SyncApi } from './SyncApi.js';
import { SyncFailure } from './SyncFailure.js';
import { createMeter } from './syncProgress.js';
import { caseloadKey, createSyncSteps } from './syncSteps.js';
import type { CaseloadWarning, SyncOutcome, SyncProblem, SyncStatus } from './SyncStatus.js';

/** Time as the engine needs it; a test hands in a fake one. */
export interface SyncClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Whether the device has a network, and news when that changes (`online`/`offline` events). */
export interface NetworkSignal {
  isOnline(): boolean;
  subscribe(listener: (online: boolean) => void): () => void;
}

export interface SyncEngineOptions {
  readonly store: LocalStore;
  readonly api: SyncApi;
  readonly codec?: ValueCodec;
  readonly clock: SyncClock;
  /** In [0, 1): the backoff jitter. Seeded in tests. */
  readonly random: () => number;
  readonly network?: NetworkSignal;
  /** The server's word that something changed: sync then rather than at the next timer. */
  readonly changes?: ChangeSignal;
  /** The device id the server knows; by default one made on first use and kept in the store's meta. */
  readonly deviceId?: () => Promise<string>;
  /** Sends the files the outbox refers to (the tus queue); runs after the push. */
  readonly uploadAttachments?: () => Promise<void>;
  /** Erases the device after a wipe directive; by default the store and everything wipeDevice() reaches. */
  readonly wipe?: (directive: WipeDirective) => Promise<void>;
  /** Called once the device was wiped: show the login screen. */
  readonly onWiped?: (directive: WipeDirective) => void;
  /** Sync while online this often, ms; 5 minutes by default. */
  readonly intervalMs?: number;
  /** Check scope digests at most this often, ms; 24 hours by default. */
  readonly digestEveryMs?: number;
  /** Items and bytes of one push request. */
  readonly pushMaxItems?: number;
  readonly pushMaxBytes?: number;
  /** Upper bound of one pull page, uncompressed. */
  readonly pullMaxBytes?: number;
}

export interface SyncEngine {
  status(): SyncStatus;
  /** Called on every status change; returns the unsubscribe function. */
  subscribe(listener: (status: SyncStatus) => void): () => void;
  /**
   * Syncs now. Never runs two syncs at once: called during a sync, it resolves with the sync that
   * follows the running one (a save during a sync is then still sent).
   */
  syncNow(): Promise<SyncOutcome>;
  /** App start: reads the counts, listens for the network, syncs now and then on a timer. */
  start(): void;
  /** Stops timers and listeners; a running sync finishes. */
  stop(): void;
  /** Re-reads the pending and rejected counts (after a save). */
  refresh(): Promise<void>;
  /** Sends refused items again (the server may accept them now, e.g. once a form version is published). */
  retryRejected(seqs: readonly number[]): Promise<SyncOutcome>;
  /** Forgets refused items the user has dealt with. */
  discardRejected(seqs: readonly number[]): Promise<void>;
  /** The rescue file: everything not yet on the server, as JSON text. */
  exportUnsent(): Promise<string>;
  /**
   * The user read the caseload warning (`status().caseload`) and wants this device to hold it all
   * the same: remembered on the device, then a sync starts.
   */
  continueLargeCaseload(): Promise<SyncOutcome>;
}

const deviceIdKey = 'deviceId';
const lastSuccessKey = 'sync.lastSuccessAt';

/** The browser's network signal (`navigator.onLine` and the window's `online`/`offline` events). */
export function browserNetwork(): NetworkSignal {
  return {
    isOnline: () => globalThis.navigator?.onLine !== false,
    subscribe(listener) {
      const on = (): void => listener(true);
      const off = (): void => listener(false);
      globalThis.addEventListener?.('online', on);
      globalThis.addEventListener?.('offline', off);
      return () => {
        globalThis.removeEventListener?.('online', on);
        globalThis.removeEventListener?.('offline', off);
      };
    },
  };
}

/**
 * The device side of docs/sync-protocol.md. One sync: push the outbox in batches and apply the
 * acknowledgements, upload attachments, pull pages until `hasMore` is false (each page with its
 * cursors in one local transaction), and now and then compare scope digests, repairing a scope
 * that drifted. A failed step ends the sync as failed: the status never says "synced" unless every
 * step succeeded. Transient failures are retried with exponential backoff and full jitter.
 */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { store, api, clock, random } = options;
  const codec = options.codec ?? plainCodec;
  const network = options.network ?? browserNetwork();
  const intervalMs = options.intervalMs ?? 5 * 60_000;
  const digestEveryMs = options.digestEveryMs ?? 24 * 60 * 60_000;
  const pushMaxItems = Math.min(options.pushMaxItems ?? protocolLimits.maxPushItems, protocolLimits.maxPushItems);
  const pushMaxBytes = options.pushMaxBytes ?? 2 * 1024 * 1024;
  const pullMaxBytes = Math.min(
    Math.max(options.pullMaxBytes ?? 1024 * 1024, protocolLimits.minPullBytes),
    protocolLimits.maxPullBytes,
  );

  let current: SyncStatus = {
    phase: network.isOnline() ? 'idle' : 'offline',
    pending: 0,
    rejected: 0,
    lastSuccessAt: null,
    lastAttemptAt: null,
    error: null,
    nextAttemptAt: null,
    progress: null,
  };
  const listeners = new Set<(status: SyncStatus) => void>();
  const set = (patch: Partial<SyncStatus>): void => {
    current = { ...current, ...patch };
    for (const listener of listeners) listener(current);
  };

  let running: Promise<SyncOutcome> | null = null;
  let followUp: Promise<SyncOutcome> | null = null;
  let timer: unknown = null;
  let attempt = 0;
  let started = false;
  let wiped = false;
  let unsubscribeNetwork: (() => void) | null = null;
  let unsubscribeChanges: (() => void) | null = null;

  const iso = (ms: number): string => new Date(ms).toISOString();

  async function deviceId(): Promise<string> {
    if (options.deviceId) return options.deviceId();
    return store.transaction('readwrite', ['meta'], async (tx) => {
      const row = await tx.get('meta', deviceIdKey);
      if (typeof row?.value === 'string') return row.value;
      const id = `web-${crypto.randomUUID()}`;
      await tx.put('meta', [{ key: deviceIdKey, value: id }]);
      return id;
    });
  }

  async function counts(): Promise<{ pending: number; rejected: number }> {
    return store.transaction('readonly', ['outbox'], async (tx) => ({
      pending: await tx.count('outbox', { index: 'state', equals: 'pending' }),
      rejected: await tx.count('outbox', { index: 'state', equals: 'rejected' }),
    }));
  }

  async function readMeta(key: string): Promise<unknown> {
    return (await store.transaction('readonly', ['meta'], (tx) => tx.get('meta', key)))?.value;
  }

  async function writeMeta(key: string, value: unknown): Promise<void> {
    await store.transaction('readwrite', ['meta'], (tx) => tx.put('meta', [{ key, value }]));
  }

  async function refresh(): Promise<void> {
    if (wiped) return;
    const [{ pending, rejected }, lastSuccess] = await Promise.all([counts(), readMeta(lastSuccessKey)]);
    set({ pending, rejected, lastSuccessAt: typeof lastSuccess === 'string' ? lastSuccess : current.lastSuccessAt });
  }

  const { push, pull, checkDigests, planFirstPull } = createSyncSteps({
    store,
    api,
    codec,
    now: () => clock.now(),
    pushMaxItems,
    pushMaxBytes,
    pullMaxBytes,
    digestEveryMs,
    readMeta,
    writeMeta,
    countsChanged: async () => set(await counts()),
    caseloadSettled: () => {
      if (current.caseload) set({ caseload: null });
    },
  });

  function schedule(ms: number): void {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    if (!started || wiped) return;
    timer = clock.setTimeout(() => {
      timer = null;
      void syncNow();
    }, ms);
  }

  /** Nothing is downloaded until the user decides; the regular timer asks again (the area may be narrowed meanwhile). */
  async function waitForCaseloadDecision(caseload: CaseloadWarning): Promise<SyncOutcome> {
    // The numbers travel in `caseload`, so the screen words them in the user's language.
    const problem: SyncProblem = { code: 'sync.caseload-too-large', status: 0, retryable: false, at: iso(clock.now()) };
    attempt = 0;
    set({ phase: 'idle', error: problem, caseload, progress: null, nextAttemptAt: null, ...(await counts()) });
    schedule(intervalMs);
    return { ok: false, problem };
  }

  async function run(): Promise<SyncOutcome> {
    if (wiped) return { ok: false, problem: problemOf(new SyncFailure({ status: 0, code: 'device.wiped' })) };
    if (!network.isOnline()) {
      set({ phase: 'offline', nextAttemptAt: null });
      await refresh().catch(() => undefined);
      return {
        ok: false,
        problem: { code: 'network.offline', status: 0, retryable: true, at: iso(clock.now()) },
      };
    }
    const startedAt = clock.now();
    set({ phase: 'syncing', lastAttemptAt: iso(startedAt), nextAttemptAt: null });
    try {
      await refresh();
      const id = await deviceId();
      const meter = createMeter(
        () => clock.now(),
        startedAt,
        current.pending,
        (progress) => set({ progress }),
      );
      await push(id, meter);
      if (options.uploadAttachments) {
        meter.stage('attachments');
        await options.uploadAttachments();
      }
      const caseload = await planFirstPull(id, meter);
      if (caseload !== null) return waitForCaseloadDecision(caseload);
      await pull(id, meter);
      if (await checkDigests(id, meter)) await pull(id, meter);
      const at = iso(clock.now());
      await writeMeta(lastSuccessKey, at);
      attempt = 0;
      set({ phase: 'idle', error: null, lastSuccessAt: at, progress: null, ...(await counts()) });
      schedule(intervalMs);
      return { ok: true };
    } catch (error) {
      return fail(error);
    }
  }

  async function fail(error: unknown): Promise<SyncOutcome> {
    if (error instanceof SyncFailure && error.wipe !== undefined) {
      await obeyWipe(error.wipe);
      return { ok: false, problem: problemOf(error) };
    }
    const problem = problemOf(error);
    await refresh().catch(() => undefined);
    if (problem.retryable && network.isOnline()) {
      const delay = backoffDelay(attempt, random, {
        retryAfterSeconds: error instanceof SyncFailure ? error.retryAfterSeconds : undefined,
      });
      attempt += 1;
      set({ phase: 'waiting', error: problem, progress: null, nextAttemptAt: iso(clock.now() + delay) });
      schedule(delay);
    } else {
      set({ phase: network.isOnline() ? 'idle' : 'offline', error: problem, progress: null, nextAttemptAt: null });
      if (network.isOnline()) schedule(intervalMs);
    }
    return { ok: false, problem };
  }

  function problemOf(error: unknown): SyncProblem {
    const at = iso(clock.now());
    if (error instanceof SyncFailure) {
      return {
        code: error.code,
        status: error.status,
        ...(error.detail === undefined ? {} : { detail: error.detail }),
        retryable: error.retryable,
        at,
      };
    }
    if (isQuotaExceeded(error)) {
      // Retrying cannot help until the user frees space; the outbox is untouched (the page was rolled back).
      return { code: 'device.storage-full', status: 0, retryable: false, at };
    }
    return {
      code: 'sync.failed',
      status: 0,
      detail: error instanceof Error ? error.message : String(error),
      retryable: false,
      at,
    };
  }

  async function obeyWipe(directive: WipeDirective): Promise<void> {
    wiped = true;
    stop();
    try {
      if (options.wipe) await options.wipe(directive);
      else {
        await store.destroy();
        await wipeDevice();
      }
    } finally {
      set({ phase: 'wiped', pending: 0, rejected: 0, progress: null, nextAttemptAt: null });
      options.onWiped?.(directive);
    }
  }

  function syncNow(): Promise<SyncOutcome> {
    if (running === null) {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      running = run().finally(() => {
        running = null;
      });
      return running;
    }
    followUp ??= running.then(() => {
      followUp = null;
      return syncNow();
    });
    return followUp;
  }

  function stop(): void {
    started = false;
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    unsubscribeNetwork?.();
    unsubscribeNetwork = null;
    unsubscribeChanges?.();
    unsubscribeChanges = null;
  }

  return {
    status: () => current,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    syncNow,
    start() {
      if (started || wiped) return;
      started = true;
      unsubscribeNetwork = network.subscribe((online) => {
        if (online) {
          // A new connection deserves a fresh start, not the tail of an old backoff.
          attempt = 0;
          void syncNow();
        } else {
          if (timer !== null) clock.clearTimeout(timer);
          timer = null;
          if (running === null) set({ phase: 'offline', nextAttemptAt: null });
        }
      });
      unsubscribeChanges =
        options.changes?.subscribe(() => {
          if (network.isOnline() && !wiped) void syncNow();
        }) ?? null;
      void syncNow();
    },
    stop,
    refresh,
    async retryRejected(seqs) {
      await store.transaction('readwrite', ['outbox'], async (tx) => {
        const rows = await tx.getMany('outbox', seqs);
        await tx.put(
          'outbox',
          rows.flatMap((row) =>
            row?.state === 'rejected' ? [{ ...row, state: 'pending' as const, rejection: null }] : [],
          ),
        );
      });
      await refresh();
      return syncNow();
    },
    async discardRejected(seqs) {
      await discardRejected(store, seqs, { codec });
      await refresh();
    },
    exportUnsent: () => exportUnsent(store, { codec, now: () => new Date(clock.now()) }),
    async continueLargeCaseload() {
      const seen = current.caseload;
      await writeMeta(caseloadKey, { ...seen, continuedAnyway: true, at: iso(clock.now()) });
      return syncNow();
    },
  };
}
