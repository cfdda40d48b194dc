import type { PullPage } from '@outpost/core';
import { pulledRecords } from '@outpost/core';
import type { LocalStore, RecordRow } from './LocalStore.js';
import { dataContext } from './saveRecord.js';
import { plainCodec } from './ValueCodec.js';
import type { ValueCodec } from './ValueCodec.js';

export interface AppliedPage {
  readonly written: number;
  readonly evicted: number;
}

/**
 * Stores one pull page in one transaction: records, evictions and the cursors after the page.
 * The cursor therefore never runs ahead of the data it covers (R5): if the device dies or fills
 * up halfway, nothing of the page is kept and the next pull asks for it again.
 *
 * The device's unacknowledged edits survive: a record with a pending edit keeps showing it. An
 * edit the server has acknowledged is shown until this, the next pulled version, replaces it.
 * The page's column-wise groups are turned back into records first: a malformed page throws
 * before anything is written.
 */
export async function applyPullPage(
  store: LocalStore,
  page: PullPage,
  options: { readonly codec?: ValueCodec } = {},
): Promise<AppliedPage> {
  const codec = options.codec ?? plainCodec;
  const records = pulledRecords(page);
  const sealed = await Promise.all(records.map((record) => codec.seal(record[5], dataContext(record[0]))));
  const scopes = new Set(page.scopes);

  return store.transaction('readwrite', ['records', 'cursors'], async (tx) => {
    const existing = await tx.getMany(
      'records',
      records.map(([id]) => id),
    );
    const rows: RecordRow[] = [];
    records.forEach(([id, list, scope, version, seq], index) => {
      const previous = existing[index];
      // A page never goes back in time, but a repaired scope may resend what the device has.
      if (previous !== undefined && previous.seq > seq) return;
      const keepPending = previous !== undefined && previous.pendingSeq > 0;
      rows.push({
        id,
        list,
        scope,
        version,
        seq,
        data: sealed[index] ?? null,
        pending: keepPending ? previous.pending : null,
        pendingSeq: keepPending ? previous.pendingSeq : 0,
        // Whether the run of offline edits goes on is decided from the versions (liveBranch).
        branch: previous?.branch ?? null,
      });
    });
    await tx.put('records', rows);
    await tx.delete(
      'records',
      page.evictions.map((eviction) => eviction.id),
    );
    // A scope the server no longer lists is one the user lost (a membership removed or changed,
    // which renames every scope of the project): what was filed under it leaves the device.
    const stale = (await tx.list('cursors')).filter((row) => !scopes.has(row.scope)).map((row) => row.scope);
    for (const scope of stale) {
      const filed = await tx.list('records', { index: 'scope', equals: scope });
      await tx.delete(
        'records',
        filed.map((row) => row.id),
      );
    }
    await tx.delete('cursors', stale);
    await tx.put(
      'cursors',
      Object.entries(page.cursors)
        .filter(([scope]) => scopes.has(scope))
        .map(([scope, cursor]) => ({ scope, cursor })),
    );
    return { written: rows.length, evicted: page.evictions.length };
  });
}

/** The cursors to send in the next PullRequest. */
export async function readCursors(store: LocalStore): Promise<Record<string, number>> {
  const rows = await store.transaction('readonly', ['cursors'], (tx) => tx.list('cursors'));
  return Object.fromEntries(rows.map((row) => [row.scope, row.cursor]));
}
