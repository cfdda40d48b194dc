import fc from 'fast-check';
import { expect, test } from 'vitest';
import { scopeDigest } from './scopeDigest.js';

const records = fc.uniqueArray(
  fc.record({
    id: fc.string({ unit: fc.constantFrom('a', 'b', ':', '-', 'Ж', '7'), minLength: 1, maxLength: 12 }),
    version: fc.integer({ min: 1, max: 1_000 }),
  }),
  { selector: (record) => record.id, maxLength: 60 },
);
const options = { seed: 424242, numRuns: 300 };

test('the digest of a set does not depend on the order it is read in', () => {
  fc.assert(
    fc.property(
      records.chain((set) => fc.tuple(fc.constant(set), fc.shuffledSubarray(set, { minLength: set.length }))),
      ([set, shuffled]) => {
        expect(scopeDigest(shuffled)).toEqual(scopeDigest(set));
      },
    ),
    options,
  );
});

test('a changed version, a missing record or an extra record changes the digest', () => {
  fc.assert(
    fc.property(
      records.filter((set) => set.length > 0),
      fc.nat(),
      (set, pick) => {
        const index = pick % set.length;
        const target = set[index]!;
        const bumped = set.map((record, i) => (i === index ? { ...record, version: record.version + 1 } : record));
        const missing = set.filter((_, i) => i !== index);
        const extra = [...set, { id: `${target.id}+`, version: 1 }].filter(
          (record, i, all) => all.findIndex((other) => other.id === record.id) === i,
        );
        const digest = scopeDigest(set);
        expect(scopeDigest(bumped).hash).not.toBe(digest.hash);
        expect(scopeDigest(missing)).not.toEqual(digest);
        if (extra.length > set.length) expect(scopeDigest(extra)).not.toEqual(digest);
      },
    ),
    options,
  );
});

test('counts the records and gives an empty scope a fixed digest', () => {
  expect(scopeDigest([])).toEqual({ count: 0, hash: 'cbf29ce484222325' });
  expect(
    scopeDigest([
      { id: 'b', version: 2 },
      { id: 'a', version: 1 },
    ]).count,
  ).toBe(2);
});

test('ids containing colons still give one line per record', () => {
  // Wire ids are printable ASCII without newlines, so "id:version\n" lines split unambiguously.
  expect(scopeDigest([{ id: 'a:1', version: 2 }]).hash).not.toBe(scopeDigest([{ id: 'a', version: 12 }]).hash);
});
