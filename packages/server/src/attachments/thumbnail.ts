import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Store } from '../storage/store.js';
import type { BlobStore, StoredBlob } from './BlobStore.js';
import { readBlob } from './BlobStore.js';
import { findThumbnail, insertThumbnail } from '../storage/queries/attachments.js';

export const thumbnailMaxPx = 320;
// A decompression bomb (a tiny file claiming gigapixels) is refused before decoding.
export const maxInputPixels = 50_000_000;
const thumbnailTypes = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/tiff', 'image/avif']);

export function canThumbnail(contentType: string): boolean {
  return thumbnailTypes.has(contentType);
}

/**
 * The JPEG thumbnail (longer edge at most 320 px, EXIF and so any GPS position dropped) of the
 * image blob `sha256`, made on first request and kept as a blob of its own. Null when the blob
 * is missing or is not an image sharp can read.
 */
export async function thumbnailOf(
  sha256: string,
  deps: { store: Store; blobs: BlobStore; now: () => Date },
): Promise<StoredBlob | null> {
  const known = await findThumbnail(sha256, deps.store);
  if (known !== undefined) {
    const cached = await deps.blobs.get(known.thumbnail_sha256);
    if (cached !== null) return cached;
  }
  const original = await deps.blobs.get(sha256);
  if (original === null) return null;
  let jpeg: Buffer;
  try {
    jpeg = await sharp(await readBlob(original), { limitInputPixels: maxInputPixels, failOn: 'error' })
      .rotate()
      .resize({ width: thumbnailMaxPx, height: thumbnailMaxPx, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 70, mozjpeg: true })
      .toBuffer();
  } catch {
    return null;
  }
  const thumbSha = createHash('sha256').update(jpeg).digest('hex');
  const put = await deps.blobs.put([jpeg], { sha256: thumbSha, bytes: jpeg.byteLength });
  if (!put.ok) throw new Error(`thumbnail blob refused: ${put.detail}`);
  await insertThumbnail(
    { sha256, thumbnail_sha256: thumbSha, bytes: jpeg.byteLength, created_at: deps.now().toISOString() },
    deps.store,
  );
  return deps.blobs.get(thumbSha);
}
