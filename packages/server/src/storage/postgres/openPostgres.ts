import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database as Tables } from '../schema.js';

const INT8_OID = 20;

// Sequences and counts come back as int8. They stay far below 2^53, so numbers are safe and keep
// row types identical to SQLite's. Set per pool, not on the global `pg.types`, so other pg users
// in the process are not affected.
const types = new pg.TypeOverrides();
types.setTypeParser(INT8_OID, 'text', (value: string) => Number(value));

export function openPostgres(connectionString: string): Kysely<Tables> {
  const pool = new pg.Pool({ connectionString, types });
  // An idle pooled connection that drops (server restart, network) emits 'error'; unhandled, that
  // would crash the process. The pool discards the client and the next query opens a new one.
  pool.on('error', () => {});
  return new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
}
