import { expect, test } from 'vitest';
import { fnv1a64 } from './fnv1a64.js';
import { protocolSchemas } from './protocolSchemas.js';
import { PROTOCOL_VERSION } from './protocolVersion.js';

/** JSON with object keys sorted, so the hash changes only when a schema does. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${stableJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The schema hash of every released protocol version, oldest first: entry n - 1 is version n.
 * Append only. When the test below fails because a schema changed, bump PROTOCOL_VERSION and
 * append the new hash (docs/sync-protocol.md, "Versioning"); never edit an entry in place.
 */
const releasedHashes = ['d11351905bea1dfb', '4b93c31d06f2b0f4'];

test('the protocol version is bumped whenever a message schema changes', () => {
  const hash = fnv1a64(stableJson(protocolSchemas));
  expect({ version: PROTOCOL_VERSION, hash }).toEqual({
    version: releasedHashes.length,
    hash: releasedHashes[releasedHashes.length - 1],
  });
  expect(new Set(releasedHashes).size).toBe(releasedHashes.length);
});

test('the schema hash ignores key order', () => {
  expect(stableJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(stableJson({ a: [{ c: 3, d: 2 }], b: 1 }));
});
