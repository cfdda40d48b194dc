/**
 * The photo a question keeps. ODK's rule: the file the camera (or the gallery) gave, byte for
 * byte, so its SHA-256 is the evidence's; only a question whose bind carries `orx:max-pixels`
 * (XLSForm `parameters: max-pixels=N`) asks for a smaller copy, scaled so its longer edge is at
 * most N pixels and re-encoded as JPEG (which also drops the camera's EXIF block). A photo already
 * within the limit is kept as it is. Location metadata in kept originals is removed by the server
 * for readers not shown exact positions, not here.
 */
export async function photoForQuestion(file: File, maxPixels: number | null): Promise<File> {
  if (maxPixels === null || !(maxPixels > 0)) return file;
  return downscaleImage(file, maxPixels);
}

const jpegQuality = 0.85;

/** `file` scaled so its longer edge is at most `maxEdge` px, as JPEG; the file itself when it fits. */
export async function downscaleImage(file: File, maxEdge: number): Promise<File> {
  const bitmap = await createImageBitmap(file);
  try {
    const longer = Math.max(bitmap.width, bitmap.height);
    if (longer <= maxEdge) return file;
    const scale = maxEdge / longer;
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    context.drawImage(bitmap, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', jpegQuality));
    if (!blob) throw new Error('the photo could not be encoded');
    const base = file.name.replace(/\.[^.]*$/, '') || 'photo';
    return new File([blob], `${base}.jpg`, { type: 'image/jpeg' });
  } finally {
    bitmap.close();
  }
}
