import type { StoredValue } from './LocalStore.js';

/**
 * Where a value lives: its store, its row's key and, when a row holds several values, its column.
 * A codec that encrypts binds it into the ciphertext, so a value moved to another row no longer
 * opens; callers must pass the same context to `open` as they passed to `seal`.
 */
export interface CodecContext {
  readonly store: string;
  readonly key: string | number;
  readonly field?: string;
}

/**
 * How values are turned into what the store keeps and back: the seam where encryption plugs in.
 * Both run outside store transactions (an IndexedDB transaction closes while it awaits anything
 * else), so a codec may be as slow and asynchronous as WebCrypto.
 */
export interface ValueCodec {
  seal(value: unknown, context?: CodecContext): Promise<StoredValue>;
  open(stored: StoredValue, context?: CodecContext): Promise<unknown>;
}

/** Keeps values as they are. */
export const plainCodec: ValueCodec = {
  seal: async (value) => value,
  open: async (stored) => stored,
};
