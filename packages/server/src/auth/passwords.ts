import { hash, verify } from '@node-rs/argon2';
import commonPasswords from '@zxcvbn-ts/language-common';

// Algorithm.Argon2id; the package exports it as a const enum, which isolated modules cannot read.
const argon2id = 2;

// argon2id with OWASP's first recommended setting (m = 46 MiB, t = 1, p = 1): strong enough for
// S10 while a 2-core server can still verify a login in well under 100 ms.
const options = { algorithm: argon2id, memoryCost: 47_104, timeCost: 1, parallelism: 1 } as const;

export const passwordRules = { minLength: 10, maxLength: 256 } as const;

/**
 * The password of the demo logins, printed in the README and at every `--demo` start: anybody
 * knows it. Accounts get it only on a server started with `--demo`.
 */
export const DEMO_PASSWORD = 'outpost-demo-2026';

export function isDemoPassword(password: string): boolean {
  return password.trim().toLowerCase() === DEMO_PASSWORD;
}

// About 49,000 passwords most often found in breaches (zxcvbn-ts's list), checked offline: a
// server in a country office may have no internet, and no password ever leaves it.
let breached: Set<string> | null = null;

export function isBreachedPassword(password: string): boolean {
  breached ??= new Set(commonPasswords.dictionary['passwords-common']);
  return breached.has(password.toLowerCase());
}

export function checkPasswordRules(password: string, username?: string): string | null {
  if (password.length < passwordRules.minLength) {
    return `The password must have at least ${passwordRules.minLength} characters.`;
  }
  if (password.length > passwordRules.maxLength) {
    return `The password must have at most ${passwordRules.maxLength} characters.`;
  }
  if (isBreachedPassword(password)) {
    return 'This password appears in lists of leaked passwords; choose another.';
  }
  if (username !== undefined && password.toLowerCase().includes(username.toLowerCase())) {
    return 'The password must not contain the username.';
  }
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verified against when the username does not exist, so both cases cost the same time.
let decoy: Promise<string> | null = null;
export async function burnDecoyVerification(password: string): Promise<void> {
  decoy ??= hashPassword('outpost-decoy-password-not-used');
  await verifyPassword(await decoy, password);
}
