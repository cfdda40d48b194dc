import type { StoredValue } from './LocalStore.js';

/**
 * How values are turned into what the store keeps and back: the seam where encryption plugs in.
 * Both run outside store transactions (an IndexedDB transaction closes while it awaits anything
 * else), so a codec may be as slow and asynchronous as WebCrypto.
 */
export interface ValueCodec {
  seal(value: unknown): Promise<StoredValue>;
  open(stored: StoredValue): Promise<unknown>;
}

/** Keeps values as they are. */
export const plainCodec: ValueCodec = {
  seal: async (value) => value,
  open: async (stored) => stored,
};
