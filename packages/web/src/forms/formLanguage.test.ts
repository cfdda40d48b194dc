import type { FormLanguages } from '@getodk/xforms-engine';
import { describe, expect, it } from 'vitest';
import { formLanguageFor, formLanguageName } from './formLanguage.js';

const pyxformStyle: FormLanguages = [
  { language: 'Mongolian (mn)', isDefault: true },
  { language: 'English (en)', isDefault: false },
];

describe('form language', () => {
  it('follows the app language when the form has it, by its "(code)"', () => {
    expect(formLanguageFor(pyxformStyle, 'en')?.language).toBe('English (en)');
    expect(formLanguageFor(pyxformStyle, 'mn')?.language).toBe('Mongolian (mn)');
    expect(formLanguageFor(pyxformStyle, 'tpi')).toBeUndefined();
    expect(formLanguageFor([{ language: '', isDefault: true, isSyntheticDefault: true }], 'en')).toBeUndefined();
  });

  it('names languages the app knows in themselves', () => {
    expect(pyxformStyle.map(formLanguageName)).toEqual(['Монгол', 'English']);
    expect(formLanguageName({ language: 'Français (fr)', isDefault: false })).toBe('Français');
  });
});
