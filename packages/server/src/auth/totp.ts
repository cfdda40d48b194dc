import { Secret, TOTP } from 'otpauth';
import type { Role } from '@outpost/core';

/** Roles that must sign in with a second factor (S12). */
export const rolesNeedingTwoFactor: readonly Role[] = ['admin', 'supervisor'];

export function roleNeedsTwoFactor(role: string): boolean {
  return (rolesNeedingTwoFactor as readonly string[]).includes(role);
}

const period = 30;

function totpFor(secretBase32: string, username = 'user'): TOTP {
  return new TOTP({
    issuer: 'Outpost',
    label: username,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: 6,
    period,
  });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app reads (as a QR code or pasted). */
export function totpUri(secretBase32: string, username: string): string {
  return totpFor(secretBase32, username).toString();
}

/**
 * Accepts a code of the current 30-second step or one step either side (clock drift), but
 * never a step at or before the last one accepted: a code seen over a shoulder cannot be reused.
 */
export function checkTotp(
  secretBase32: string,
  code: string,
  lastStep: number | null,
  now: Date,
): { ok: true; step: number } | { ok: false } {
  if (!/^\d{6}$/.test(code)) return { ok: false };
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return { ok: false };
  const step = Math.floor(now.getTime() / 1000 / period) + delta;
  if (lastStep !== null && step <= lastStep) return { ok: false };
  return { ok: true, step };
}

/** For tests and the enrolment screen's self-check: the code of a moment. */
export function totpCodeAt(secretBase32: string, at: Date): string {
  return totpFor(secretBase32).generate({ timestamp: at.getTime() });
}
