import { describe, expect, it } from 'vitest';
import { AUTO_GENERATED_LABEL } from '@outpost/core';
import { createI18n } from '../../i18n/createI18n.js';
import { caseLabelText } from './caseLabel.js';

describe('caseLabelText', () => {
  it('shows the app language, never the server English, for a case whose registration has not arrived', () => {
    const i18n = createI18n({ navigatorLanguage: 'mn-MN' });
    const text = caseLabelText(i18n, AUTO_GENERATED_LABEL);
    expect(text).not.toContain('auto generated');
    expect(text).toMatch(/^[А-Яа-яЁёӨөҮү ()]+$/u);
    expect(caseLabelText(i18n, null)).toBe(i18n.t('cases.labelHidden'));
    expect(caseLabelText(i18n, 'Бат-Эрдэнэ')).toBe('Бат-Эрдэнэ');
  });
});
