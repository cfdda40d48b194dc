import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database as Tables } from '../schema.js';

const INT8_OID = 20;

// Sequences and counts come back as int8. They stay far below 2^53, so numbers are safe and keep
// row types identical to SQLite's. Set per pool, not on the global `pg.types`, so other pg users
// in the process are not affected.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export function openPostgres(connectionString: string): Kysely<Tables> {
  const pool = new pg.Pool({ connectionString, types });
  return new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
}
