import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonicalJson.js';
import type { JsonValue } from './canonicalJson.js';

const json = fc.jsonValue() as fc.Arbitrary<JsonValue>;

function shuffleKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(shuffleKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, shuffleKeys(v)]),
    );
  }
  return value;
}

describe('canonicalJson', () => {
  it('gives the same text whatever order the keys were built in', () => {
    fc.assert(fc.property(json, (value) => canonicalJson(shuffleKeys(value)) === canonicalJson(value)));
  });

  it('is valid JSON that parses back to the same value', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(JSON.parse(canonicalJson(value)) as JsonValue)).toBe(canonicalJson(value));
      }),
    );
  });

  it('keeps Mongolian text as it is', () => {
    expect(canonicalJson({ нэр: 'Өлзий', a: ['ү', 1] })).toBe('{"a":["ү",1],"нэр":"Өлзий"}');
  });
});
