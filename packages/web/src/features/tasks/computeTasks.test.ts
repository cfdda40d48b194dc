import { describe, expect, it } from 'vitest';
import { computeTasks, localToday, taskRulesFor, type TaskCase } from './computeTasks.js';

const rules = taskRulesFor('cases', ['next_visit_date', 'review_due_date', 'last_referral_date', 'last_visit_date']);

function household(id: string, properties: Record<string, unknown>, status: string | null = 'open'): TaskCase {
  return { id, list: 'cases', label: `Household ${id}`, status, properties };
}

describe('follow-up tasks from the dates the forms save', () => {
  it('makes tasks only from next-visit, review-due and referral dates', () => {
    expect(rules.map((r) => [r.property, r.kind, r.afterDays])).toEqual([
      ['next_visit_date', 'visit', 0],
      ['review_due_date', 'review', 0],
      ['last_referral_date', 'referral', 14],
    ]);
  });

  it('groups overdue, due within 7 days and later, the riskiest first in each group', () => {
    const groups = computeTasks(
      [
        household('a', { next_visit_date: '2026-12-01', risk_level: 'low' }),
        household('b', { next_visit_date: '2026-12-03', risk_level: 'high' }),
        household('c', { next_visit_date: '2026-12-07' }),
        household('d', { review_due_date: '2026-12-14', risk_level: 'medium' }),
        household('e', { review_due_date: '2026-12-15' }),
        household('f', { next_visit_date: 'soon', last_visit_date: '2026-11-01' }),
      ],
      rules,
      '2026-12-07',
    );
    expect(groups.overdue.map((t) => [t.caseId, t.inDays])).toEqual([
      ['b', -4],
      ['a', -6],
    ]);
    expect(groups.soon.map((t) => [t.caseId, t.kind, t.inDays])).toEqual([
      ['d', 'review', 7],
      ['c', 'visit', 0],
    ]);
    expect(groups.later.map((t) => t.caseId)).toEqual(['e']);
  });

  it('follows up a referral a fortnight after it, only while the case is referred', () => {
    const referred = household('r', { last_referral_date: '2026-11-20' }, 'referred');
    const back = household('s', { last_referral_date: '2026-11-20' }, 'in_progress');
    const groups = computeTasks([referred, back], rules, '2026-12-07');
    expect(groups.overdue.map((t) => [t.caseId, t.kind, t.due, t.inDays])).toEqual([
      ['r', 'referral', '2026-12-04', -3],
    ]);
    expect([...groups.soon, ...groups.later]).toEqual([]);
  });

  it('asks nothing of a closed case, and a visit recorded moves the task', () => {
    const closed = household('x', { next_visit_date: '2026-12-01' }, 'closed');
    expect(computeTasks([closed], rules, '2026-12-07').overdue).toEqual([]);
    const before = computeTasks([household('y', { next_visit_date: '2026-12-01' })], rules, '2026-12-07');
    const after = computeTasks([household('y', { next_visit_date: '2027-01-10' })], rules, '2026-12-07');
    expect(before.overdue.map((t) => t.caseId)).toEqual(['y']);
    expect(after.overdue).toEqual([]);
    expect(after.later.map((t) => t.due)).toEqual(['2027-01-10']);
  });

  it('keeps whose task it is, for the supervisor’s view of the team', () => {
    const groups = computeTasks(
      [household('z', { next_visit_date: '2026-12-01', __assigneeId: 'u-2' })],
      rules,
      '2026-12-07',
    );
    expect(groups.overdue[0]?.assigneeId).toBe('u-2');
  });

  it('refuses a today that is not a date, and reads the device’s local day', () => {
    expect(() => computeTasks([], rules, 'today')).toThrow(RangeError);
    expect(localToday(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
  });
});
