import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_DIR_MODE } from '../storage/privateFiles.js';
import type { BlobPutResult, BlobStore, ByteRange, ExpectedBlob, StoredBlob } from './BlobStore.js';
import { isSha256 } from './BlobStore.js';

function errnoCode(err: unknown): unknown {
  return typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
}

/** Makes a rename or unlink in `dir` survive a power cut (the directory entry is data too). */
async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Blobs as files under `root`: `<root>/ab/cd/<sha256>`, two levels of fan-out so no folder holds
 * millions of entries. Content is written to `<root>/tmp/`, fsynced, checked against the promised
 * hash and length, then renamed into place: a crash at any point leaves either no blob or the
 * right one under a hash, never a partial or wrong file. Folders are created when a write finds
 * them missing (on the first write), not checked on every write.
 */
export function createLocalDiskBlobStore(root: string): BlobStore {
  const tmpDir = path.join(root, 'tmp');

  function pathOf(sha256: string): string {
    // The hash becomes a path: anything but 64 hex digits could walk out of root.
    if (!isSha256(sha256)) throw new Error('not a lower-case hex SHA-256');
    return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async function exists(sha256: string): Promise<boolean> {
    try {
      await fs.access(pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * A new file in `<root>/tmp/`, writable by this process only. The folder is made on the first
   * write (or again if someone removed it), not checked on every put.
   */
  async function openTmp(): Promise<{ tmp: string; handle: FileHandle }> {
    const tmp = path.join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
    try {
      return { tmp, handle: await fs.open(tmp, 'wx', 0o600) };
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
      await fs.mkdir(tmpDir, { recursive: true, mode: PRIVATE_DIR_MODE });
      return { tmp, handle: await fs.open(tmp, 'wx', 0o600) };
    }
  }

  /** Renames a checked file to its hash's path, making the two folders of fan-out when missing. */
  async function moveIntoPlace(tmp: string, target: string): Promise<void> {
    try {
      await fs.rename(tmp, target);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
      await fs.mkdir(path.dirname(target), { recursive: true, mode: PRIVATE_DIR_MODE });
      await fs.rename(tmp, target);
    }
  }

  async function put(
    content: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    expected: ExpectedBlob,
  ): Promise<BlobPutResult> {
    const target = pathOf(expected.sha256);
    const { tmp, handle } = await openTmp();
    const hash = createHash('sha256');
    let written = 0;
    let kept = false;
    try {
      try {
        for await (const chunk of content) {
          written += chunk.byteLength;
          // Stop reading as soon as the content is longer than promised (S16).
          if (written > expected.bytes) break;
          hash.update(chunk);
          let offset = 0;
          while (offset < chunk.byteLength) {
            const { bytesWritten } = await handle.write(chunk, offset);
            offset += bytesWritten;
          }
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (written !== expected.bytes) {
        return {
          ok: false,
          reason: 'size-mismatch',
          detail: `Expected ${expected.bytes} bytes, got ${written > expected.bytes ? 'more' : written}.`,
        };
      }
      const actual = hash.digest('hex');
      if (actual !== expected.sha256) {
        return { ok: false, reason: 'hash-mismatch', detail: `The content's SHA-256 is ${actual}.` };
      }
      if (await exists(expected.sha256)) return { ok: true, created: false };
      await moveIntoPlace(tmp, target);
      kept = true;
      await syncDir(path.dirname(target));
      return { ok: true, created: true };
    } finally {
      if (!kept) await fs.rm(tmp, { force: true });
    }
  }

  async function get(sha256: string, range?: ByteRange): Promise<StoredBlob | null> {
    if (!isSha256(sha256)) return null;
    const file = pathOf(sha256);
    try {
      const stat = await fs.stat(file);
      return { bytes: stat.size, stream: createReadStream(file, range) };
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return null;
      throw err;
    }
  }

  async function remove(sha256: string): Promise<void> {
    const file = pathOf(sha256);
    try {
      await fs.unlink(file);
      await syncDir(path.dirname(file));
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
    }
  }

  return { put, get, exists, delete: remove };
}
