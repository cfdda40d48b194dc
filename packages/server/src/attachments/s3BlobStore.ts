import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { BlobPutResult, BlobStore, ByteRange, ExpectedBlob, StoredBlob } from './BlobStore.js';
import { isSha256 } from './BlobStore.js';

export interface S3BlobStoreOptions {
  /** A client already configured (endpoint, region, credentials, path style). */
  readonly client: S3Client;
  readonly bucket: string;
  /** Parts of a multipart upload, in bytes (S3's minimum, 5 MiB, unless told otherwise). */
  readonly partSize?: number;
}

export interface S3ConnectionSettings {
  readonly endpoint: string | null;
  readonly region: string;
  readonly accessKeyId: string | null;
  readonly secretAccessKey: string | null;
  readonly forcePathStyle: boolean;
}

/** An S3 client from the settings; without keys the SDK's own chain (environment, instance role) applies. */
export function s3ClientFrom(settings: S3ConnectionSettings): S3Client {
  const config: S3ClientConfig = { region: settings.region, forcePathStyle: settings.forcePathStyle };
  if (settings.endpoint !== null) config.endpoint = settings.endpoint;
  if (settings.accessKeyId !== null && settings.secretAccessKey !== null) {
    config.credentials = { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey };
  }
  return new S3Client(config);
}

function isNotFound(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e.name === 'NoSuchKey' || e.name === 'NotFound' || e.Code === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404
  );
}

/** Whole size from `Content-Range: bytes 0-9/100`. */
function totalOf(contentRange: string | undefined): number | null {
  const match = /\/(\d+)$/.exec(contentRange ?? '');
  return match ? Number(match[1]) : null;
}

/**
 * Blobs as objects `blobs/<sha256>` in one bucket. A put streams the content to a temporary key
 * (`tmp/<random>`, multipart through lib-storage once it passes one part), hashing and counting as
 * it goes; only content that is exactly what was promised is copied under its hash, and the
 * temporary object is deleted either way. An object under `blobs/` is therefore always its hash's
 * content, as on disk. Objects appear whole or not at all in S3, so a crash leaves at most a stray
 * `tmp/` object (a bucket lifecycle rule can expire them).
 */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const { client, bucket } = options;
  const keyOf = (sha256: string): string => `blobs/${sha256}`;

  async function exists(sha256: string): Promise<boolean> {
    if (!isSha256(sha256)) return false;
    try {
      await client.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(sha256) }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async function put(
    content: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    expected: ExpectedBlob,
  ): Promise<BlobPutResult> {
    if (!isSha256(expected.sha256)) throw new Error('not a lower-case hex SHA-256');
    const hash = createHash('sha256');
    let written = 0;
    async function* checked(): AsyncGenerator<Buffer> {
      for await (const chunk of content) {
        written += chunk.byteLength;
        // Stop reading as soon as the content is longer than promised (S16).
        if (written > expected.bytes) return;
        hash.update(chunk);
        yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
    }
    const tmpKey = `tmp/${randomBytes(12).toString('hex')}`;
    try {
      await new Upload({
        client,
        params: { Bucket: bucket, Key: tmpKey, Body: Readable.from(checked()) },
        partSize: options.partSize ?? 5 * 1024 * 1024,
        queueSize: 2,
      }).done();
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
      await client.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: keyOf(expected.sha256),
          CopySource: `${bucket}/${tmpKey}`,
        }),
      );
      return { ok: true, created: true };
    } finally {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: tmpKey })).catch(() => undefined);
    }
  }

  async function get(sha256: string, range?: ByteRange): Promise<StoredBlob | null> {
    if (!isSha256(sha256)) return null;
    try {
      const res = await client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: keyOf(sha256),
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      if (!(res.Body instanceof Readable)) throw new Error('the S3 client returned no Node stream');
      const bytes = range ? totalOf(res.ContentRange) : (res.ContentLength ?? null);
      if (bytes === null) throw new Error('the object store did not say the object size');
      return { bytes, stream: res.Body };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async function remove(sha256: string): Promise<void> {
    if (!isSha256(sha256)) throw new Error('not a lower-case hex SHA-256');
    // S3 answers a delete of a missing key with success: no error when it is already gone.
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: keyOf(sha256) }));
  }

  return { put, get, exists, delete: remove };
}
