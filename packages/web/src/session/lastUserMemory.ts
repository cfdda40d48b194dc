import type { User } from '../api/OutpostApi.js';

/**
 * Who last signed in on this device, so the unlock screen can greet them with no network. Holds
 * names and ids only, never a secret or case data: it sits in localStorage, unsealed, because it
 * must be readable before the vault is open.
 */
export interface LastUserMemory {
  read(): User | null;
  write(user: User): void;
  clear(): void;
}

export const lastUserKey = 'outpost.lastUser';

/** Over `storage` (localStorage in the app); a blocked or missing storage remembers nobody. */
export function createLastUserMemory(
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined,
): LastUserMemory {
  return {
    read() {
      try {
        const text = storage?.getItem(lastUserKey);
        if (text === null || text === undefined) return null;
        const value = JSON.parse(text) as Partial<Record<keyof User, unknown>>;
        const { id, username, displayName, role } = value;
        if (typeof id !== 'string' || typeof username !== 'string') return null;
        return {
          id,
          username,
          displayName: typeof displayName === 'string' ? displayName : username,
          role: typeof role === 'string' ? role : '',
        };
      } catch {
        return null;
      }
    },
    write(user) {
      try {
        const { id, username, displayName, role } = user;
        storage?.setItem(lastUserKey, JSON.stringify({ id, username, displayName, role }));
      } catch {
        // Full or blocked storage: the unlock screen then cannot appear, and the user signs in again.
      }
    },
    clear() {
      try {
        storage?.removeItem(lastUserKey);
      } catch {
        // Nothing to clear where storage is blocked.
      }
    },
  };
}

/** A memory for tests and for browsers without localStorage. */
export function createMemoryLastUser(): LastUserMemory & { readonly saved: () => User | null } {
  let user: User | null = null;
  return { read: () => user, write: (next) => void (user = next), clear: () => void (user = null), saved: () => user };
}
