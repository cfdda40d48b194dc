import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { blobStoreFrom } from './configuredBlobStore.js';
import { startS3rver } from './s3rver.test-support.js';

const bytes = Buffer.from('a photo of a door');
const hash = createHash('sha256').update(bytes).digest('hex');

describe('choosing the blob store from the settings', () => {
  it('keeps blobs under the data folder by default', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'outpost-blobcfg-'));
    try {
      const resolved = resolveConfig({ dataDir: dir }, {});
      if (!resolved.ok) throw new Error(resolved.errors.join('; '));
      expect(resolved.config.blobStore).toBe('local');
      expect(await blobStoreFrom(resolved.config).put([bytes], { sha256: hash, bytes: bytes.length })).toEqual({
        ok: true,
        created: true,
      });
      expect(existsSync(path.join(dir, 'blobs', hash.slice(0, 2), hash.slice(2, 4), hash))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('puts blobs in the bucket named by the OUTPOST_S3_* variables', async () => {
    const s3 = await startS3rver('outpost-config');
    const dir = mkdtempSync(path.join(tmpdir(), 'outpost-blobcfg-'));
    try {
      const resolved = resolveConfig(
        { dataDir: dir },
        {
          OUTPOST_BLOB_STORE: 's3',
          OUTPOST_S3_ENDPOINT: s3.endpoint,
          OUTPOST_S3_BUCKET: s3.bucket,
          OUTPOST_S3_ACCESS_KEY_ID: 'S3RVER',
          OUTPOST_S3_SECRET_ACCESS_KEY: 'S3RVER',
          OUTPOST_S3_FORCE_PATH_STYLE: 'true',
        },
      );
      if (!resolved.ok) throw new Error(resolved.errors.join('; '));
      const blobs = blobStoreFrom(resolved.config);
      expect(await blobs.put([bytes], { sha256: hash, bytes: bytes.length })).toEqual({ ok: true, created: true });
      const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `blobs/${hash}` }));
      expect(head.ContentLength).toBe(bytes.length);
      expect(existsSync(path.join(dir, 'blobs'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await s3.stop();
    }
  });

  it('refuses to start on S3 without a bucket, or with half a key pair', () => {
    expect(resolveConfig({ blobStore: 's3' }, {})).toMatchObject({
      ok: false,
      errors: [expect.stringContaining('--s3-bucket')],
    });
    expect(resolveConfig({ blobStore: 's3', s3Bucket: 'b', s3AccessKeyId: 'only-the-id' }, {})).toMatchObject({
      ok: false,
      errors: [expect.stringContaining('--s3-secret-access-key')],
    });
    expect(resolveConfig({ blobStore: 'ftp' }, {})).toMatchObject({ ok: false });
  });
});
