import { toString } from 'qrcode';

/**
 * The text as a QR code, drawn here on the device (the secret inside never leaves it) as an SVG
 * data URL for an `<img>`: no inline style and no script, which the CSP (`img-src 'self' data:`) allows.
 */
export async function qrCodeDataUrl(text: string): Promise<string> {
  const svg = await toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
