/**
 * A photo scaled so its longer edge is at most `maxPx`, re-encoded as JPEG. Re-encoding drops the
 * camera's EXIF block, and with it any GPS position, before the file leaves the device. Uses
 * OffscreenCanvas where there is one (workers, modern browsers), a DOM canvas otherwise.
 */
export async function downscaleImage(blob: Blob, maxPx = 1600, quality = 0.8): Promise<Blob> {
  const bitmap = await createImageBitmap(blob);
  try {
    const scale = Math.min(1, maxPx / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    if (typeof OffscreenCanvas !== 'undefined') {
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2D canvas');
      context.drawImage(bitmap, 0, 0, width, height);
      return await canvas.convertToBlob({ type: 'image/jpeg', quality });
    }
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    context.drawImage(bitmap, 0, 0, width, height);
    const out = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
    if (!out) throw new Error('the photo could not be encoded');
    return out;
  } finally {
    bitmap.close();
  }
}
