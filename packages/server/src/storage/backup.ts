import { spawn } from 'node:child_process';
import SqliteDatabase from 'better-sqlite3';

/**
 * SQLite's online backup of the database at `source` into a new file `target`: a consistent copy
 * while the server keeps writing (WAL readers are not blocked), page by page.
 */
export async function backupSqliteFile(source: string, target: string): Promise<void> {
  const db = new SqliteDatabase(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(target);
  } finally {
    db.close();
  }
}

/** Runs a PostgreSQL client tool; rejects with its own error text when it fails. */
function runTool(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 8192) stderr += chunk;
    });
    child.on('error', (err) => {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      reject(new Error(missing ? `${command} is not installed (PostgreSQL client tools are needed)` : err.message));
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} failed (exit ${code}): ${stderr.trim()}`));
    });
  });
}

/** `pg_dump` in the custom format, which `pg_restore` reads back table by table. */
export function dumpPostgres(databaseUrl: string, target: string): Promise<void> {
  return runTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${target}`, databaseUrl]);
}

/** `pg_restore` of a dump made by dumpPostgres into an empty database. */
export function restorePostgres(databaseUrl: string, dump: string): Promise<void> {
  return runTool('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${databaseUrl}`, dump]);
}
