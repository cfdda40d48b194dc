import { describe, expect, it } from 'vitest';
import { parseDateText, parseTimeText } from './dateText.js';

describe('dates and times typed as text', () => {
  it('reads year-month-day with any usual separator, padding month and day', () => {
    expect(parseDateText('2026-10-23')).toBe('2026-10-23');
    expect(parseDateText(' 2026.3.5 ')).toBe('2026-03-05');
    expect(parseDateText('2026/12/31')).toBe('2026-12-31');
  });

  it('refuses what is not a real date, and the American order', () => {
    expect(parseDateText('2026-02-30')).toBeNull();
    expect(parseDateText('2026-13-01')).toBeNull();
    expect(parseDateText('10/23/2026')).toBeNull();
    expect(parseDateText('')).toBeNull();
  });

  it('reads 24-hour times', () => {
    expect(parseTimeText('9:05')).toBe('09:05');
    expect(parseTimeText('14.30')).toBe('14:30');
    expect(parseTimeText('1405')).toBe('14:05');
    expect(parseTimeText('24:00')).toBeNull();
    expect(parseTimeText('2 PM')).toBeNull();
  });
});
