import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { describeBlobStoreContract } from './blobStoreContract.test-support.js';
import { createLocalDiskBlobStore } from './localDiskBlobStore.js';
import { createS3BlobStore } from './s3BlobStore.js';
import { startS3rver } from './s3rver.test-support.js';

describeBlobStoreContract('local disk', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'outpost-blobs-'));
  return {
    blobs: createLocalDiskBlobStore(root),
    async count() {
      // Files under <root>/ab/cd/, leaving out the tmp folder of writes in progress.
      return readdirSync(root, { recursive: true, withFileTypes: true }).filter(
        (e) => e.isFile() && !path.relative(root, e.parentPath).startsWith('tmp'),
      ).length;
    },
    async close() {
      rmSync(root, { recursive: true, force: true });
    },
  };
});

describeBlobStoreContract('S3 (s3rver on loopback)', async () => {
  const s3 = await startS3rver();
  return {
    blobs: createS3BlobStore({ client: s3.client, bucket: s3.bucket }),
    async count() {
      // Every object in the bucket: temporary uploads must be gone too.
      let total = 0;
      let token: string | undefined;
      do {
        const page = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, ContinuationToken: token }));
        total += page.KeyCount ?? 0;
        token = page.NextContinuationToken;
      } while (token !== undefined);
      return total;
    },
    close: () => s3.stop(),
  };
});

describe('S3 BlobStore on the wire', () => {
  it('sends a large object as a multipart upload and keeps only the finished blob', async () => {
    const s3 = await startS3rver('outpost-multipart');
    try {
      const commands: string[] = [];
      s3.client.middlewareStack.add(
        (next, context) => (args) => {
          commands.push(String(context.commandName));
          return next(args);
        },
        { step: 'initialize' },
      );
      const blobs = createS3BlobStore({ client: s3.client, bucket: s3.bucket });
      const bytes = randomBytes(11 * 1024 * 1024);
      const hash = createHash('sha256').update(bytes).digest('hex');
      expect(await blobs.put([bytes], { sha256: hash, bytes: bytes.length })).toEqual({ ok: true, created: true });
      expect(commands.filter((c) => c === 'CreateMultipartUploadCommand')).toHaveLength(1);
      expect(commands.filter((c) => c === 'UploadPartCommand')).toHaveLength(3);
      expect(commands).toContain('CompleteMultipartUploadCommand');
      const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
      expect((listed.Contents ?? []).map((o) => o.Key)).toEqual([`blobs/${hash}`]);
    } finally {
      await s3.stop();
    }
  }, 60_000);
});
