import { sql } from 'kysely';
import type { Store } from '../store.js';

/**
 * Counts one request under `key` and answers the count in the current window and when that window
 * ends. A window that has ended starts again at 1. One statement, so requests counted at the same
 * time by several processes each get their own count.
 */
export async function countRequest(
  key: string,
  windowMs: number,
  nowMs: number,
  store: Store,
): Promise<{ hits: number; windowEndsAt: number }> {
  const ends = nowMs + windowMs;
  const row = await store.db
    .insertInto('rate_limits')
    .values({ key, hits: 1, window_ends_at: ends })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`case when rate_limits.window_ends_at <= ${nowMs} then 1 else rate_limits.hits + 1 end`,
        window_ends_at: sql<number>`case when rate_limits.window_ends_at <= ${nowMs} then ${ends} else rate_limits.window_ends_at end`,
      }),
    )
    .returning(['hits', 'window_ends_at'])
    .executeTakeFirstOrThrow();
  return { hits: Number(row.hits), windowEndsAt: Number(row.window_ends_at) };
}

/** The count under `key` in its current window, without counting (0 when none is running). */
export async function peekRequests(
  key: string,
  nowMs: number,
  store: Store,
): Promise<{ hits: number; windowEndsAt: number }> {
  const row = await store.db
    .selectFrom('rate_limits')
    .select(['hits', 'window_ends_at'])
    .where('key', '=', key)
    .where('window_ends_at', '>', nowMs)
    .executeTakeFirst();
  return row === undefined
    ? { hits: 0, windowEndsAt: nowMs }
    : { hits: Number(row.hits), windowEndsAt: Number(row.window_ends_at) };
}

/** Removes the counts whose window has ended. */
export async function pruneRateLimits(nowMs: number, store: Store): Promise<void> {
  await store.db.deleteFrom('rate_limits').where('window_ends_at', '<=', nowMs).execute();
}
