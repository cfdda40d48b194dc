import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from './BlobStore.js';
import { readBlob } from './BlobStore.js';

export interface BlobStoreUnderTest {
  readonly blobs: BlobStore;
  /** How many blobs are stored (objects or files under their hash), to see content-addressing. */
  count(): Promise<number>;
  close(): Promise<void>;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** `bytes` in chunks of `size`, as a stream from an upload file arrives. */
function* chunked(bytes: Buffer, size = 64 * 1024): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/**
 * What every BlobStore must do, whatever keeps the bytes: run against the local disk store and
 * against an S3-compatible server. `open` gives an empty store.
 */
export function describeBlobStoreContract(name: string, open: () => Promise<BlobStoreUnderTest>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let under: BlobStoreUnderTest;
    beforeAll(async () => {
      under = await open();
    }, 60_000);
    afterAll(async () => {
      await under.close();
    });

    it('gives back exactly the bytes put under their hash, whole and by range', async () => {
      const bytes = randomBytes(100_000);
      const hash = sha256(bytes);
      expect(await under.blobs.exists(hash)).toBe(false);
      expect(await under.blobs.put(chunked(bytes), { sha256: hash, bytes: bytes.length })).toEqual({
        ok: true,
        created: true,
      });
      expect(await under.blobs.exists(hash)).toBe(true);
      const whole = await under.blobs.get(hash);
      expect(whole?.bytes).toBe(bytes.length);
      expect(whole && (await readBlob(whole)).equals(bytes)).toBe(true);
      const part = await under.blobs.get(hash, { start: 1000, end: 1999 });
      expect(part?.bytes).toBe(bytes.length);
      expect(part && (await readBlob(part)).equals(bytes.subarray(1000, 2000))).toBe(true);
      const tail = await under.blobs.get(hash, { start: bytes.length - 10, end: bytes.length - 1 });
      expect(tail && (await readBlob(tail)).equals(bytes.subarray(bytes.length - 10))).toBe(true);
    });

    it('keeps one copy of the same content, however often it is put', async () => {
      const before = await under.count();
      const bytes = randomBytes(4096);
      const hash = sha256(bytes);
      expect(await under.blobs.put([bytes], { sha256: hash, bytes: bytes.length })).toEqual({
        ok: true,
        created: true,
      });
      expect(await under.blobs.put(chunked(bytes, 1000), { sha256: hash, bytes: bytes.length })).toEqual({
        ok: true,
        created: false,
      });
      expect(await under.count()).toBe(before + 1);
    });

    it('stores nothing when the content is not what was promised', async () => {
      const before = await under.count();
      const bytes = randomBytes(5000);
      const wrongHash = sha256(randomBytes(10));
      const mismatch = await under.blobs.put([bytes], { sha256: wrongHash, bytes: bytes.length });
      expect(mismatch).toMatchObject({ ok: false, reason: 'hash-mismatch' });
      expect(await under.blobs.exists(wrongHash)).toBe(false);
      const longer = await under.blobs.put([bytes], { sha256: sha256(bytes), bytes: bytes.length - 1 });
      expect(longer).toMatchObject({ ok: false, reason: 'size-mismatch' });
      const shorter = await under.blobs.put([bytes], { sha256: sha256(bytes), bytes: bytes.length + 1 });
      expect(shorter).toMatchObject({ ok: false, reason: 'size-mismatch' });
      expect(await under.blobs.exists(sha256(bytes))).toBe(false);
      expect(await under.count()).toBe(before);
    });

    it('stores a large object (several multipart parts on S3) intact', async () => {
      const bytes = randomBytes(12 * 1024 * 1024 + 123);
      const hash = sha256(bytes);
      expect(await under.blobs.put(chunked(bytes), { sha256: hash, bytes: bytes.length })).toEqual({
        ok: true,
        created: true,
      });
      const got = await under.blobs.get(hash);
      expect(got?.bytes).toBe(bytes.length);
      expect(got && sha256(await readBlob(got))).toBe(hash);
      const across = await under.blobs.get(hash, { start: 5 * 1024 * 1024 - 5, end: 5 * 1024 * 1024 + 4 });
      expect(across && (await readBlob(across)).equals(bytes.subarray(5 * 1024 * 1024 - 5, 5 * 1024 * 1024 + 5))).toBe(
        true,
      );
    }, 60_000);

    it('answers a missing blob with null and false, and deletes without error twice', async () => {
      const absent = sha256(Buffer.from('never stored'));
      expect(await under.blobs.get(absent)).toBeNull();
      expect(await under.blobs.get(absent, { start: 0, end: 9 })).toBeNull();
      expect(await under.blobs.exists(absent)).toBe(false);
      expect(await under.blobs.get('not-a-hash')).toBeNull();
      await expect(under.blobs.delete(absent)).resolves.toBeUndefined();

      const bytes = randomBytes(300);
      const hash = sha256(bytes);
      await under.blobs.put([bytes], { sha256: hash, bytes: bytes.length });
      const before = await under.count();
      await under.blobs.delete(hash);
      expect(await under.blobs.exists(hash)).toBe(false);
      expect(await under.blobs.get(hash)).toBeNull();
      expect(await under.count()).toBe(before - 1);
      await expect(under.blobs.delete(hash)).resolves.toBeUndefined();
    });
  });
}
