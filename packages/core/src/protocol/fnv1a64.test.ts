import fc from 'fast-check';
import { expect, test } from 'vitest';
import { Fnv1a64, fnv1a64 } from './fnv1a64.js';

/** The textbook definition, slow and obviously right, to compare the limb arithmetic with. */
function referenceFnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

test('matches the published FNV-1a 64 test vectors', () => {
  expect(fnv1a64('')).toBe('cbf29ce484222325');
  expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
  expect(fnv1a64('foobar')).toBe('85944171f73967e8');
});

test('hashes the UTF-8 bytes of any text, Cyrillic and emoji included', () => {
  expect(fnv1a64('Баянзүрх 😀')).toBe(referenceFnv1a64('Баянзүрх 😀'));
  expect(fnv1a64('broken \ud800 pair')).toBe(referenceFnv1a64('broken \ud800 pair'));
  fc.assert(
    fc.property(
      fc.string({ unit: fc.oneof(fc.constant('\ud83d'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }),
      (text) => {
        expect(fnv1a64(text)).toBe(referenceFnv1a64(text));
      },
    ),
    { seed: 20240611, numRuns: 500 },
  );
});

test('feeding text in pieces gives the same digest as feeding it at once', () => {
  expect(new Fnv1a64().update('foo').update('bar').digest()).toBe(fnv1a64('foobar'));
});
