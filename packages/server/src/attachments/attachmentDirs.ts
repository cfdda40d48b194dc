import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

export interface AttachmentDirs {
  /** The BlobStore's root: `<dataDir>/blobs`. */
  readonly blobs: string;
  /** tus uploads in progress: `<dataDir>/uploads`. */
  readonly uploads: string;
}

/**
 * Where attachment files go under the data folder. Without one (tests that never upload), a
 * fresh folder under the system temp dir; nothing is created there until the first upload.
 */
export function attachmentDirs(dataDir: string | null): AttachmentDirs {
  const root =
    dataDir ?? path.join(os.tmpdir(), `outpost-attachments-${process.pid}-${randomBytes(6).toString('hex')}`);
  return { blobs: path.join(root, 'blobs'), uploads: path.join(root, 'uploads') };
}
