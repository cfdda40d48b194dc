import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createIdleLock, type IdleClock } from './createIdleLock.js';
import { createIndexedDbVaultKeyStore } from './indexedDbVaultKeyStore.js';
import { createVault } from './createVault.js';

const minute = 60_000;
const password = 'Нууц үг 2026!';

/** Time that moves only when told; `sleep` moves it without firing timers, as a tablet asleep does. */
function fakeClock() {
  let now = 0;
  let nextId = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const clock: IdleClock = {
    now: () => now,
    setTimeout(callback, ms) {
      nextId += 1;
      timers.set(nextId, { at: now + ms, callback });
      return nextId;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
  };
  return {
    clock,
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, timer]) => timer.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (due === undefined) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].callback();
      }
      now = end;
    },
    sleep(ms: number) {
      now += ms;
    },
    pending: () => timers.size,
  };
}

let databases = 0;
async function unlockedVault() {
  const vault = createVault({ keyStore: createIndexedDbVaultKeyStore(`idle-test-${++databases}`) });
  await vault.setup(password);
  return vault;
}

const touch = (events: EventTarget) => events.dispatchEvent(new Event('pointerdown'));

describe('createIdleLock', () => {
  it('locks after 10 minutes without activity by default, not before', async () => {
    const vault = await unlockedVault();
    const time = fakeClock();
    createIdleLock(vault, { clock: time.clock, events: new EventTarget() });

    time.advance(10 * minute - 1);
    expect(vault.isUnlocked()).toBe(true);
    time.advance(1);
    expect(vault.isUnlocked()).toBe(false);
    // Nothing left ticking while locked.
    expect(time.pending()).toBe(0);
  });

  it('counts from the last touch or key press', async () => {
    const vault = await unlockedVault();
    const time = fakeClock();
    const events = new EventTarget();
    createIdleLock(vault, { minutes: 2, clock: time.clock, events });

    time.advance(1.5 * minute);
    touch(events);
    time.advance(1.5 * minute);
    events.dispatchEvent(new Event('keydown'));
    time.advance(2 * minute - 1);
    expect(vault.isUnlocked()).toBe(true);
    time.advance(1);
    expect(vault.isUnlocked()).toBe(false);
  });

  it('locks when the tablet wakes up after a sleep longer than the idle time', async () => {
    const vault = await unlockedVault();
    const time = fakeClock();
    const events = new EventTarget();
    createIdleLock(vault, { minutes: 5, clock: time.clock, events });

    time.sleep(30 * minute);
    expect(vault.isUnlocked()).toBe(true);
    events.dispatchEvent(new Event('visibilitychange'));
    expect(vault.isUnlocked()).toBe(false);
  });

  it('touching a locked screen does not unlock it; the next unlock starts a fresh idle period', async () => {
    const vault = await unlockedVault();
    const time = fakeClock();
    const events = new EventTarget();
    createIdleLock(vault, { minutes: 5, clock: time.clock, events });

    time.advance(5 * minute);
    touch(events);
    expect(vault.isUnlocked()).toBe(false);

    time.advance(60 * minute);
    expect(await vault.unlock(password)).toEqual({ ok: true });
    time.advance(5 * minute - 1);
    expect(vault.isUnlocked()).toBe(true);
    time.advance(1);
    expect(vault.isUnlocked()).toBe(false);
  });

  it('stops watching when stopped', async () => {
    const vault = await unlockedVault();
    const time = fakeClock();
    const events = new EventTarget();
    const idle = createIdleLock(vault, { minutes: 1, clock: time.clock, events });
    idle.stop();
    time.advance(60 * minute);
    events.dispatchEvent(new Event('focus'));
    expect(vault.isUnlocked()).toBe(true);
    expect(time.pending()).toBe(0);
  });

  it('refuses a non-positive idle time', async () => {
    const vault = await unlockedVault();
    expect(() => createIdleLock(vault, { minutes: 0, events: new EventTarget() })).toThrow(RangeError);
  });
});
