import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import fs from 'node:fs/promises';

// Everything under the data folder (the database, its WAL, blobs, uploads in progress, the server
// key) belongs to the server's account alone: folders 0700, files 0600. `main` also sets the
// process umask to 077, so files a library creates on its own (tus metadata, SQLite temp files)
// come out private too; these helpers do it explicitly where Outpost creates them.

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates a folder (and missing parents) as 0700; an existing one is made 0700. */
export function makePrivateDirSync(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** The same as `makePrivateDirSync`, without blocking. */
export async function makePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await fs.chmod(dir, PRIVATE_DIR_MODE);
}

/**
 * Makes a file 0600, creating it empty when missing (so a library that opens it later, SQLite for
 * instance, never creates it with its own mode). Files that do not exist are created only when
 * `create` is true.
 */
export function makePrivateFileSync(file: string, create: boolean): void {
  if (create && !existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
}

/** Makes an existing file 0600. */
export async function makePrivateFile(file: string): Promise<void> {
  await fs.chmod(file, PRIVATE_FILE_MODE);
}

/** Restricts the files this process creates from now on to its own account. */
export function restrictProcessUmask(): void {
  process.umask(0o077);
}
