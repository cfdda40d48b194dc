import { EventEmitter } from 'node:events';
import pg from 'pg';
import { sql } from 'kysely';
import { keepInTransaction, keptInTransaction } from './store.js';
import type { Store } from './store.js';

/**
 * Change notices: "the cases of entity list L changed". Written where an entity is written, heard
 * by every server process so a device connected to any of them learns it should pull.
 *
 * On PostgreSQL a notice is `pg_notify` on the writing transaction: it reaches every process that
 * LISTENs, only when the transaction commits, and PostgreSQL folds identical notices of one
 * transaction into one. On SQLite (one process per database file) it is an in-process event,
 * also sent only after the commit.
 */
export const CHANGE_CHANNEL = 'outpost_changes';

const localBus = new EventEmitter();
localBus.setMaxListeners(0);

/**
 * Announces that cases of `listId` changed, once the write commits. On PostgreSQL the notice of a
 * list is written once per transaction (a push batch changes the same list with every item): the
 * statement is skipped when the transaction has written it already. A rollback to a savepoint
 * drops the notices written after it, and also forgets what the transaction kept, so the next
 * change of the list writes its notice again.
 */
export async function announceListChange(listId: string, store: Store): Promise<void> {
  if (store.dialect === 'postgres') {
    const key = `notified ${listId}`;
    if (keptInTransaction<true>(store, key) === true) return;
    await sql`select pg_notify(${CHANGE_CHANNEL}, ${listId})`.execute(store.db);
    keepInTransaction(store, key, true);
  } else {
    store.afterCommit(() => localBus.emit(CHANGE_CHANNEL, listId));
  }
}

/** Where a process hears change notices: `subscribe` returns the function that unsubscribes. */
export interface ChangeSource {
  subscribe(onChange: (listId: string) => void): () => void;
  close(): Promise<void>;
}

/** The notices written by this process (SQLite, or tests that run one process). */
export function localChangeSource(): ChangeSource {
  return {
    subscribe(onChange) {
      localBus.on(CHANGE_CHANNEL, onChange);
      return () => localBus.off(CHANGE_CHANNEL, onChange);
    },
    close: () => Promise.resolve(),
  };
}

/**
 * Every process's notices on PostgreSQL: one dedicated connection LISTENs (a pooled connection
 * cannot, it is handed to other queries). A dropped connection is reopened after a second; the
 * notices missed meanwhile cost nothing worse than a device's next scheduled pull.
 */
export async function postgresChangeSource(
  connectionString: string,
  onError: (err: unknown) => void = () => {},
): Promise<ChangeSource> {
  const listeners = new Set<(listId: string) => void>();
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString });
    next.on('notification', (message) => {
      if (message.channel !== CHANGE_CHANNEL || message.payload === undefined) return;
      for (const listener of listeners) listener(message.payload);
    });
    const reopen = (err?: unknown) => {
      if (err !== undefined) onError(err);
      if (closed || client !== next) return;
      client = null;
      retry = setTimeout(() => void connect().catch(reopen), 1000);
      retry.unref();
    };
    next.on('error', reopen);
    next.on('end', () => reopen());
    client = next;
    await next.connect();
    await next.query(`LISTEN ${CHANGE_CHANNEL}`);
  };
  await connect();
  return {
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    async close() {
      closed = true;
      if (retry !== null) clearTimeout(retry);
      const open = client;
      client = null;
      if (open !== null) await open.end().catch(() => {});
    },
  };
}
