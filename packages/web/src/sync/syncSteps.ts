import { PROTOCOL_VERSION, pulledRecordCount, scopeDigest } from '@outpost/core';
import type { PullPage } from '@outpost/core';
import type { LocalStore } from '../store/LocalStore.js';
import { applyPullPage, readCursors } from '../store/applyPullPage.js';
import { acknowledge, nextBatch, pushRequestFor } from '../store/outbox.js';
import type { ValueCodec } from '../store/ValueCodec.js';
import type { SyncApi } from './SyncApi.js';
import { SyncFailure } from './SyncFailure.js';
import type { SyncMeter } from './syncProgress.js';
import type { CaseloadWarning } from './SyncStatus.js';

export const lastDigestKey = 'sync.lastDigestAt';
/** Set once a first pull may go ahead: the caseload fits, or the user chose to continue anyway. */
export const caseloadKey = 'sync.caseloadAccepted';

/** What the steps of one sync work with; the engine (createSyncEngine) schedules them. */
export interface SyncStepContext {
  readonly store: LocalStore;
  readonly api: SyncApi;
  readonly codec: ValueCodec;
  readonly now: () => number;
  readonly pushMaxItems: number;
  readonly pushMaxBytes: number;
  readonly pullMaxBytes: number;
  readonly digestEveryMs: number;
  readonly readMeta: (key: string) => Promise<unknown>;
  readonly writeMeta: (key: string, value: unknown) => Promise<void>;
  /** The outbox changed (an acknowledgement): the pending and rejected counts are read again. */
  readonly countsChanged: () => Promise<void>;
  /** A caseload warning shown before no longer applies. */
  readonly caseloadSettled: () => void;
}

export interface SyncSteps {
  readonly push: (id: string, meter: SyncMeter) => Promise<void>;
  readonly pull: (id: string, meter: SyncMeter) => Promise<void>;
  /** Compares digests; true when a scope was reset and must be pulled again. */
  readonly checkDigests: (id: string, meter: SyncMeter) => Promise<boolean>;
  readonly planFirstPull: (id: string, meter: SyncMeter) => Promise<CaseloadWarning | null>;
}

/**
 * The steps of one sync (docs/sync-protocol.md): push the outbox in batches, pull pages until
 * `hasMore` is false, compare scope digests now and then, and ask for the plan before a first pull.
 */
export function createSyncSteps(ctx: SyncStepContext): SyncSteps {
  const { store, api, codec, pushMaxItems, pushMaxBytes, pullMaxBytes, digestEveryMs, readMeta, writeMeta } = ctx;
  const clock = { now: ctx.now };
  const iso = (ms: number): string => new Date(ms).toISOString();

  async function push(id: string, meter: SyncMeter): Promise<void> {
    meter.stage('push');
    for (;;) {
      const batch = await nextBatch(store, pushMaxItems, pushMaxBytes, { codec });
      if (batch.length === 0) return;
      const request = pushRequestFor(id, batch);
      const { body, bytes } = await api.push(request);
      const done = await acknowledge(store, body.ackedThrough, body.results, { now: () => new Date(clock.now()) });
      await ctx.countsChanged();
      meter.add(done.removed + done.rejected, bytes);
      // Nothing of the batch committed: pushing again at once would only repeat the fault.
      if (body.ackedThrough < request.fromSeq) {
        throw new SyncFailure({
          status: 503,
          code: 'sync.push-incomplete',
          detail: 'The server committed none of the batch.',
        });
      }
    }
  }

  async function pull(id: string, meter: SyncMeter): Promise<void> {
    meter.stage('pull');
    let cursors = await readCursors(store);
    for (;;) {
      const { body: page, bytes } = await api.pull({
        protocol: PROTOCOL_VERSION,
        deviceId: id,
        cursors,
        maxBytes: pullMaxBytes,
      });
      await applyPullPage(store, page, { codec });
      cursors = cursorsAfter(page);
      meter.add(pulledRecordCount(page) + page.evictions.length, bytes, page.hasMore ? page.remaining : 0);
      if (!page.hasMore) return;
    }
  }

  /** Compares digests; returns true when a scope was reset and must be pulled again. */
  async function checkDigests(id: string, meter: SyncMeter): Promise<boolean> {
    const last = await readMeta(lastDigestKey);
    if (typeof last === 'number' && clock.now() - last < digestEveryMs) return false;
    meter.stage('check');
    const scopes = await store.transaction('readonly', ['cursors', 'records'], async (tx) => {
      const rows = await tx.list('cursors');
      return Promise.all(
        rows.map(async ({ scope, cursor }) => {
          const records = await tx.list('records', { index: 'scope', equals: scope });
          const digest = scopeDigest(
            records.filter((r) => r.version > 0).map((r) => ({ id: r.id, version: r.version })),
          );
          return { scope, cursor, count: digest.count, hash: digest.hash };
        }),
      );
    });
    if (scopes.length === 0) {
      await writeMeta(lastDigestKey, clock.now());
      return false;
    }
    const { body, bytes } = await api.digest({ protocol: PROTOCOL_VERSION, deviceId: id, scopes });
    meter.add(0, bytes);
    const drifted = body.scopes.filter((s) => s.verdict === 'drift').map((s) => s.scope);
    if (drifted.length > 0) {
      await store.transaction('readwrite', ['records', 'cursors'], async (tx) => {
        for (const scope of drifted) {
          const records = await tx.list('records', { index: 'scope', equals: scope });
          // Records with an unsent edit stay: the edit is still the user's, the pull brings the rest.
          await tx.delete(
            'records',
            records.filter((r) => r.pendingSeq === 0).map((r) => r.id),
          );
        }
        await tx.delete('cursors', drifted);
      });
    }
    // A stale scope says nothing yet: check again at the next sync rather than a day later.
    if (!body.scopes.some((s) => s.verdict === 'stale')) await writeMeta(lastDigestKey, clock.now());
    return drifted.length > 0;
  }

  /**
   * R13: before the first pull (no cursors yet), asks the server how much it would bring. Returns
   * the warning when that is more than one device should hold and the user has not chosen yet.
   */
  async function planFirstPull(id: string, meter: SyncMeter): Promise<CaseloadWarning | null> {
    if (api.plan === undefined) return null;
    if (Object.keys(await readCursors(store)).length > 0 || (await readMeta(caseloadKey)) !== undefined) {
      ctx.caseloadSettled();
      return null;
    }
    meter.stage('check');
    const { body, bytes } = await api.plan({ protocol: PROTOCOL_VERSION, deviceId: id });
    meter.add(0, bytes);
    if (body.exceedsDeviceLimit) return { records: body.records, deviceLimit: body.deviceLimit };
    await writeMeta(caseloadKey, { records: body.records, deviceLimit: body.deviceLimit, at: iso(clock.now()) });
    ctx.caseloadSettled();
    return null;
  }

  return { push, pull, checkDigests, planFirstPull };
}

function cursorsAfter(page: PullPage): Record<string, number> {
  const scopes = new Set(page.scopes);
  return Object.fromEntries(Object.entries(page.cursors).filter(([scope]) => scopes.has(scope)));
}
