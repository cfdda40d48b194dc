import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';

/** Lower-case hex SHA-256: the only key a blob has. */
export const sha256Pattern = /^[0-9a-f]{64}$/;

export function isSha256(value: string): boolean {
  return sha256Pattern.test(value);
}

export interface ExpectedBlob {
  /** Lower-case hex SHA-256 the content must have. */
  readonly sha256: string;
  /** Exact length in bytes the content must have. */
  readonly bytes: number;
}

export type BlobPutResult =
  /** Stored under its hash; `created` is false when the same content was already there. */
  | { readonly ok: true; readonly created: boolean }
  /** The content was not what was promised; nothing was stored. */
  | { readonly ok: false; readonly reason: 'hash-mismatch' | 'size-mismatch'; readonly detail: string };

/** Bytes `start` to `end`, both included, as HTTP ranges count them. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface StoredBlob {
  readonly bytes: number;
  readonly stream: Readable;
}

/**
 * Content-addressed storage for attachment bytes. The port is what an object store (S3) can do
 * too: whole-object put, get, exists, delete. A put either stores exactly the promised content
 * under its hash or stores nothing, so a blob under a hash is always that hash's content.
 */
export interface BlobStore {
  put(content: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, expected: ExpectedBlob): Promise<BlobPutResult>;
  /**
   * The blob's bytes, or null when there is none under this hash. With `range`, only the bytes
   * from `start` to `end` inclusive (an object store's ranged GET); `bytes` stays the whole size.
   */
  get(sha256: string, range?: ByteRange): Promise<StoredBlob | null>;
  exists(sha256: string): Promise<boolean>;
  /** Removes the blob; no error when it is already gone. */
  delete(sha256: string): Promise<void>;
}

/** A blob's bytes in memory, for the image work that needs them whole (thumbnails, re-encoding). */
export async function readBlob(blob: StoredBlob): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of blob.stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Large enough that a photo is read in one or two calls, small enough to hold in memory per upload. */
const fileChunkBytes = 256 * 1024;

/**
 * A file's bytes as chunks for `put`, read straight from a file handle: cheaper than a read
 * stream for a finished upload (a 200 KB photo is one read, not four plus a stream's machinery).
 * Every chunk is a buffer of its own, so a store may keep chunks (S3 buffers a part).
 */
export async function* fileChunks(file: string): AsyncGenerator<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(fileChunkBytes);
      const { bytesRead } = await handle.read(buffer, 0, fileChunkBytes, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
