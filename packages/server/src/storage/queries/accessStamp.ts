import { keptRead } from '../store.js';
import type { Store } from '../store.js';

/**
 * The counter every write to memberships, membership areas, roles, areas, forms, form versions
 * and the projects' policy settings bumps in its own transaction (triggers of migration 0022).
 */
const ACCESS_COUNTER = 'access';

/**
 * What access is built from, as one number: it changes with every committed write of those rows
 * (and, inside a transaction, with its own writes). Null when the counter is missing (a database
 * someone edited by hand): then nothing may be kept by it.
 */
export async function accessStamp(store: Store): Promise<number | null> {
  return keptRead(store, 'accessStamp', async () => {
    const row = await store.db
      .selectFrom('counters')
      .select('value')
      .where('name', '=', ACCESS_COUNTER)
      .executeTakeFirst();
    return row === undefined ? null : Number(row.value);
  });
}
