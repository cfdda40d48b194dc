import { describe, expect, it } from 'vitest';
import { monthGrid, stepMonth } from './calendarMonth.js';

describe('monthGrid', () => {
  it('lays a month out in weeks from Monday', () => {
    // 1 December 2026 is a Tuesday: the grid opens on Monday 30 November.
    const december = monthGrid(2026, 12);
    expect(december[0]?.[0]).toEqual({ date: '2026-11-30', day: 30, inMonth: false });
    expect(december[0]?.[1]).toEqual({ date: '2026-12-01', day: 1, inMonth: true });
    expect(december.every((week) => week.length === 7)).toBe(true);
    expect(december.flat().filter((d) => d.inMonth)).toHaveLength(31);
    expect(december.at(-1)?.at(-1)?.date).toBe('2027-01-03');
  });

  it('keeps leap days and drops a week wholly in the next month', () => {
    expect(
      monthGrid(2028, 2)
        .flat()
        .filter((d) => d.inMonth)
        .at(-1)?.date,
    ).toBe('2028-02-29');
    // February 2027 starts on a Monday and fills exactly four weeks.
    expect(monthGrid(2027, 2)).toHaveLength(4);
  });
});

describe('stepMonth', () => {
  it('crosses years', () => {
    expect(stepMonth(2026, 12, 1)).toEqual([2027, 1]);
    expect(stepMonth(2026, 1, -1)).toEqual([2025, 12]);
  });
});
