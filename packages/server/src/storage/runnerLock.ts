import { sql } from 'kysely';
import type { Store } from './store.js';

/**
 * Runs `fn` only if no other server process is running the job `name` now: on PostgreSQL a
 * session advisory lock held on one pinned connection for the whole run (the work itself uses
 * the pool); on SQLite, whose database file has one server process, it just runs.
 */
export async function withRunnerLock<T>(
  name: string,
  store: Store,
  fn: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  if (store.dialect !== 'postgres') return { ran: true, value: await fn() };
  return store.db.connection().execute(async (conn) => {
    const got = await sql<{ got: boolean }>`select pg_try_advisory_lock(hashtext(${name})) as got`.execute(conn);
    if (got.rows[0]?.got !== true) return { ran: false } as const;
    try {
      return { ran: true, value: await fn() } as const;
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${name}))`.execute(conn);
    }
  });
}
