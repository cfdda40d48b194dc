import type { Config } from '../config/config.js';
import { attachmentDirs } from './attachmentDirs.js';
import type { BlobStore } from './BlobStore.js';
import { createLocalDiskBlobStore } from './localDiskBlobStore.js';
import { createS3BlobStore, s3ClientFrom } from './s3BlobStore.js';

type BlobSettings = Pick<
  Config,
  | 'dataDir'
  | 'blobStore'
  | 's3Endpoint'
  | 's3Bucket'
  | 's3Region'
  | 's3AccessKeyId'
  | 's3SecretAccessKey'
  | 's3ForcePathStyle'
>;

/** The BlobStore the settings choose: files under the data folder (default) or an S3 bucket. */
export function blobStoreFrom(config: BlobSettings): BlobStore {
  if (config.blobStore !== 's3') return createLocalDiskBlobStore(attachmentDirs(config.dataDir).blobs);
  if (config.s3Bucket === null) throw new Error('--blob-store s3 needs --s3-bucket');
  const client = s3ClientFrom({
    endpoint: config.s3Endpoint,
    region: config.s3Region,
    accessKeyId: config.s3AccessKeyId,
    secretAccessKey: config.s3SecretAccessKey,
    forcePathStyle: config.s3ForcePathStyle,
  });
  return createS3BlobStore({ client, bucket: config.s3Bucket });
}
