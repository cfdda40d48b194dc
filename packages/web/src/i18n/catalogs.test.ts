import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { mn } from './mn.js';
import { tpi } from './tpi.js';

// `{name}` and the argument of `{name, plural, …}`.
const placeholders = (text: string): string[] =>
  [...new Set([...text.matchAll(/\{(\w+)(?:\}|\s*,\s*plural\s*,)/g)].map((m) => m[1] ?? ''))].sort();

// Brand names read the same in every language.
const sameInEveryLanguage = new Set(['app.name']);

describe('message catalogs', () => {
  it.each([
    ['mn', mn],
    ['tpi', tpi],
  ] as const)('%s has every English key, and no other', (_name, catalog) => {
    expect(Object.keys(catalog).sort()).toEqual(Object.keys(en).sort());
  });

  it.each([
    ['mn', mn],
    ['tpi', tpi],
  ] as const)('%s uses the same placeholders as English', (_name, catalog) => {
    for (const [key, text] of Object.entries(en)) {
      expect(placeholders(catalog[key as keyof typeof en]), key).toEqual(placeholders(text));
    }
  });

  it('has every Mongolian text translated, in Cyrillic, with no English left in', () => {
    for (const [key, text] of Object.entries(mn)) {
      if (sameInEveryLanguage.has(key)) continue;
      expect(text, key).not.toBe(en[key as keyof typeof en]);
      const words = text.replace(/\{\w+\}/g, '');
      expect(words, key).toMatch(/[\u0400-\u04FF]/);
      expect(words, key).not.toMatch(/[A-Za-z]/);
    }
  });

  it('has no empty texts', () => {
    for (const catalog of [en, mn, tpi]) {
      for (const [key, text] of Object.entries(catalog)) expect(text.trim(), key).not.toBe('');
    }
  });
});
