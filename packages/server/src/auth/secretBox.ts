import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PRIVATE_FILE_MODE, makePrivateDirSync, makePrivateFileSync } from '../storage/privateFiles.js';

/**
 * Secrets the server must read back (TOTP seeds) are kept sealed under a server key with
 * AES-256-GCM: a copy of the database alone (a backup, a dump) does not give them away. Each
 * value is bound to a context (the user it belongs to), so a sealed value copied to another row
 * does not open.
 */
export interface SecretBox {
  seal(plain: string, context: string): string;
  /** The plain text, or null when the value was not sealed under this key and context. */
  open(sealed: string, context: string): string | null;
}

const PREFIX = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SERVER_KEY_FILE = 'server.key';

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('the server key must be 32 bytes');
  return {
    seal(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sealed, context) {
      if (!isSealed(sealed)) return null;
      const bytes = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
      if (bytes.length < IV_BYTES + TAG_BYTES) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        return null;
      }
    },
  };
}

/**
 * The server key in `<dataDir>/server.key` (32 random bytes, base64), created 0600 on first
 * start. Losing it means an administrator has to reset every enrolled authenticator (users
 * screen); back it up apart from the database.
 */
export function loadOrCreateServerKey(dataDir: string): Buffer {
  const file = path.join(dataDir, SERVER_KEY_FILE);
  if (!existsSync(file)) {
    makePrivateDirSync(dataDir);
    // 'wx': two processes starting at once cannot both write a key; the loser reads the winner's.
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  makePrivateFileSync(file, false);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${SERVER_KEY_FILE} in the data folder is not a 32-byte base64 key`);
  return key;
}

/** The context a user's TOTP seed is sealed under. */
export function totpContext(userId: string): string {
  return `totp:${userId}`;
}
