import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rverModule from 's3rver';

/** The little of s3rver's API the tests use (the package ships no types). */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: Array<{ name: string }>;
}) => S3rverInstance;
const S3rver = S3rverModule as S3rverConstructor;

export interface RunningS3 {
  /** `http://127.0.0.1:<port>`, for `--s3-endpoint`. */
  readonly endpoint: string;
  readonly bucket: string;
  /** A client for that endpoint with the credentials s3rver accepts, path-style. */
  readonly client: S3Client;
  stop(): Promise<void>;
}

/** An S3-speaking server on loopback (s3rver), over a fresh temp folder, with one empty bucket. */
export async function startS3rver(bucket = 'outpost-test'): Promise<RunningS3> {
  const directory = mkdtempSync(path.join(tmpdir(), 'outpost-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    // s3rver's fixed key pair.
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    endpoint,
    bucket,
    client,
    async stop() {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
