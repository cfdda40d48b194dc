import { describe, expect, it } from 'vitest';
import { createI18n } from '../../i18n/createI18n.js';
import { caseloadText, formatCount } from './caseloadText.js';

describe('the caseload warning (R13)', () => {
  it('tells the user both numbers and what they can do, in their language', () => {
    const i18n = createI18n();
    i18n.setLanguage('en');
    expect(caseloadText(i18n.t, { records: 123_456, deviceLimit: 100_000 }, 'en')).toBe(
      'Your caseload has 123,456 records; this device is meant for up to 100,000. ' +
        'Ask your supervisor to narrow your area, or continue anyway.',
    );
    i18n.setLanguage('mn');
    const mongolian = caseloadText(i18n.t, { records: 123_456, deviceLimit: 100_000 }, 'mn');
    expect(mongolian).toContain('123\u00a0456');
    expect(mongolian).toContain('100\u00a0000');
    expect(mongolian).not.toMatch(/[A-Za-z]/);
  });

  it('groups thousands without touching small numbers', () => {
    expect(formatCount(999, 'en')).toBe('999');
    expect(formatCount(1_000, 'en')).toBe('1,000');
    expect(formatCount(1_234_567, 'mn')).toBe('1\u00a0234\u00a0567');
  });
});
