import type { Sharp } from 'sharp';
import sharp from 'sharp';
import type { StoredBlob } from './BlobStore.js';
import { readBlob } from './BlobStore.js';
import { maxInputPixels } from './thumbnail.js';

export interface PlainImage {
  bytes: Buffer;
  contentType: string;
}

// Photos keep their format; the rarer image types sharp reads are given as JPEG.
const encoders: Record<string, { contentType: string; encode: (image: Sharp) => Sharp }> = {
  'image/jpeg': { contentType: 'image/jpeg', encode: (image) => image.jpeg({ quality: 90 }) },
  'image/png': { contentType: 'image/png', encode: (image) => image.png() },
  'image/webp': { contentType: 'image/webp', encode: (image) => image.webp({ quality: 90 }) },
  'image/gif': { contentType: 'image/jpeg', encode: (image) => image.jpeg({ quality: 90 }) },
  'image/tiff': { contentType: 'image/jpeg', encode: (image) => image.jpeg({ quality: 90 }) },
  'image/avif': { contentType: 'image/jpeg', encode: (image) => image.jpeg({ quality: 90 }) },
};

/**
 * The image re-encoded without any metadata (EXIF with its GPS position, XMP, IPTC, ICC),
 * turned upright first since the orientation tag goes too. For readers whose location precision
 * is not exact: a camera writes the exact position into every photo. Null when the file is not
 * an image sharp can read, so the caller cannot vouch for what it carries.
 */
export async function imageWithoutMetadata(blob: StoredBlob, contentType: string): Promise<PlainImage | null> {
  const encoder = encoders[contentType];
  if (encoder === undefined) {
    blob.stream.destroy();
    return null;
  }
  try {
    // sharp writes no metadata unless asked to (keepExif / withMetadata).
    const image = sharp(await readBlob(blob), { limitInputPixels: maxInputPixels, failOn: 'error' }).rotate();
    return { bytes: await encoder.encode(image).toBuffer(), contentType: encoder.contentType };
  } catch {
    return null;
  }
}
