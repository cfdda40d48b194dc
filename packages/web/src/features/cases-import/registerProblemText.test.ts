import { describe, expect, it } from 'vitest';
import { createI18n } from '../../i18n/createI18n.js';
import { registerProblemRow, registerProblemText } from './registerProblemText.js';

describe('a register problem in words', () => {
  const i18n = createI18n({ navigatorLanguage: 'mn' });
  const bad = { code: 'import.bad-value', row: 4, column: '"head_dob" (C)', message: '"1950-13-40" is not a date' };

  it('says what the column takes in the chosen language, never the server’s English', () => {
    expect(registerProblemText(i18n, { ...bad, expected: 'date' })).toBe(
      'Огноог он-сар-өдөр хэлбэрээр бичнэ (2026-12-31).',
    );
    expect(registerProblemText(i18n, bad)).toBe('Энэ утгыг хүлээн авахгүй.');
    expect(registerProblemText(i18n, { ...bad, code: 'import.label-missing', row: 1 })).toBe(
      'Файлд "label" багана хэрэгтэй.',
    );
    expect(registerProblemText(i18n, { ...bad, code: 'import.something-new' })).toBe('Файлыг уншиж чадсангүй.');
  });

  it('places a problem of the whole file', () => {
    expect(registerProblemRow(i18n, { ...bad, row: null })).toBe('Файл бүхэлдээ');
    expect(registerProblemRow(i18n, bad)).toBe('4');
  });
});
