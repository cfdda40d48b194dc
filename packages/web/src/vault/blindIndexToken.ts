/** 16 bytes of HMAC-SHA-256: collisions stay negligible at any caseload while tokens stay short. */
export const blindIndexTokenBytes = 16;

const encoder = new TextEncoder();

/**
 * HMAC-SHA-256 of `normalizedText` under `key`, truncated and base64url-encoded: an equality
 * index over values the device must not hold in plaintext. The caller normalises (case, spaces,
 * Cyrillic/Latin folding) so that equal values give equal text; the key must be an HMAC key
 * that never leaves memory (the vault's index key), or a phone number could be found by trying
 * them all.
 */
export async function blindIndexToken(key: CryptoKey, normalizedText: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(normalizedText));
  return base64Url(new Uint8Array(mac, 0, blindIndexTokenBytes));
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
