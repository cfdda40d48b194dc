import type { Vault } from './Vault.js';

export const defaultIdleMinutes = 10;

/** Events that mean someone is using the tablet. */
export const activityEvents = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
/** Events after which timers may have been frozen (screen off, tab in the background). */
export const resumeEvents = ['visibilitychange', 'focus', 'pageshow'] as const;

export interface IdleClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ActivityEvents {
  addEventListener(type: string, listener: () => void, options?: { passive?: boolean; capture?: boolean }): void;
  removeEventListener(type: string, listener: () => void, options?: { capture?: boolean }): void;
}

export interface IdleLockOptions {
  /** Minutes without activity before the vault locks; 10 by default. */
  readonly minutes?: number;
  /** Time and timers; the platform's by default. */
  readonly clock?: IdleClock;
  /** Where pointer and key events arrive; `window` by default. */
  readonly events?: ActivityEvents;
}

export interface IdleLock {
  /** Locks now if the idle time has passed (e.g. after the tablet woke up). */
  check(): void;
  /** Stops listening; the vault stays as it is. */
  stop(): void;
}

const platformClock: IdleClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/**
 * Locks the vault after `minutes` without user activity (S9); the app then asks for the secret.
 * Activity only moves a timestamp, so a busy page does not reset timers on every key press; the
 * one timer checks the timestamp when it fires. Timers do not run while the tablet sleeps, so the
 * lock is also checked when the page becomes visible or focused again.
 */
export function createIdleLock(vault: Vault, options: IdleLockOptions = {}): IdleLock {
  const minutes = options.minutes ?? defaultIdleMinutes;
  if (!(minutes > 0)) throw new RangeError(`minutes must be positive, not ${minutes}`);
  const clock = options.clock ?? platformClock;
  const events = options.events ?? globalThis.window;
  if (events === undefined) throw new Error('createIdleLock needs `events` outside a browser window');
  const idleMs = minutes * 60_000;

  let lastActivity = clock.now();
  let timer: unknown = null;
  let stopped = false;

  function cancel(): void {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  }

  function schedule(ms: number): void {
    cancel();
    timer = clock.setTimeout(() => {
      timer = null;
      check();
    }, ms);
  }

  function check(): void {
    if (stopped || !vault.isUnlocked()) return;
    const idle = clock.now() - lastActivity;
    if (idle >= idleMs) {
      cancel();
      // No timer until the next unlock: there is nothing to time while the vault is locked.
      vault.lock();
      return;
    }
    schedule(idleMs - idle);
  }

  function onActivity(): void {
    if (!vault.isUnlocked()) return;
    lastActivity = clock.now();
    if (timer === null) schedule(idleMs);
  }

  const unsubscribe = vault.subscribe((status) => {
    // An unlock starts a fresh idle period: the user just typed the secret.
    if (status === 'unlocked') {
      lastActivity = clock.now();
      schedule(idleMs);
    } else {
      cancel();
    }
  });

  for (const type of activityEvents) events.addEventListener(type, onActivity, { passive: true, capture: true });
  for (const type of resumeEvents) events.addEventListener(type, check, { capture: true });
  if (vault.isUnlocked()) schedule(idleMs);

  return {
    check,
    stop() {
      stopped = true;
      unsubscribe();
      cancel();
      for (const type of activityEvents) events.removeEventListener(type, onActivity, { capture: true });
      for (const type of resumeEvents) events.removeEventListener(type, check, { capture: true });
    },
  };
}
