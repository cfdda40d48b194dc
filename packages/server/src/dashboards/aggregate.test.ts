import { describe, expect, it } from 'vitest';
import type { DashboardRecord } from './aggregate.js';
import { aggregatePanel, HIDDEN } from './aggregate.js';
import { dashboardSpec } from './dashboardSpecs.js';

const today = '2026-11-15';
function record(over: Partial<DashboardRecord> & { properties: Record<string, string> }): DashboardRecord {
  return {
    list: 'cases',
    areaId: 'a1',
    assigneeId: null,
    createdAt: '2026-10-01T00:00:00.000Z',
    exactLocation: true,
    hidden: new Set(),
    ...over,
  };
}
const panelOf = (template: string, id: string) => {
  const found = dashboardSpec(template).panels.find((p) => p.id === id);
  if (found === undefined) throw new Error(id);
  return found;
};

describe('dashboard aggregation', () => {
  it('counts a value the role may not see as hidden, not as a blank answer', () => {
    const records = [
      record({ properties: { vulnerability: 'elderly disability' } }),
      record({ properties: { vulnerability: '' } }),
      record({ properties: {}, hidden: new Set(['vulnerability']) }),
    ];
    const rows = aggregatePanel(panelOf('mongolia-social-protection', 'cases.vulnerability'), records, { today }).rows;
    expect(Object.fromEntries(rows.map((r) => [r.keys[0], r.values[0]]))).toEqual({
      elderly: 1,
      disability: 1,
      '': 1,
      [HIDDEN]: 1,
    });
  });

  it('counts open cases and overdue follow-ups per worker, and not closed ones', () => {
    const records = [
      record({ assigneeId: 'u1', properties: { case_status: 'open', next_visit_date: '2026-11-01' } }),
      record({ assigneeId: 'u1', properties: { case_status: 'open', review_due_date: '2026-12-01' } }),
      record({ assigneeId: 'u1', properties: { case_status: 'closed', next_visit_date: '2026-10-01' } }),
      record({ assigneeId: 'u2', properties: { case_status: 'in_progress', review_due_date: '2026-11-14' } }),
    ];
    const panel = aggregatePanel(panelOf('mongolia-social-protection', 'cases.caseload'), records, { today });
    expect(panel.rows.map((r) => [r.keys[0], ...r.values])).toEqual([
      ['u1', 2, 1],
      ['u2', 1, 1],
    ]);
  });

  it('keeps a protected area’s score and budget but blanks its incident count under 5 without exact places', () => {
    const pa = (id: string) =>
      record({
        list: 'protected_areas',
        areaId: id,
        exactLocation: false,
        properties: { mett_percent: '60', budget_recurrent: '1000', budget_project: '500' },
      });
    const incident = (id: string) => record({ list: 'incidents', areaId: id, exactLocation: false, properties: {} });
    const records = [pa('p1'), pa('p2'), ...Array.from({ length: 6 }, () => incident('p1')), incident('p2')];
    const panel = aggregatePanel(panelOf('png-protected-areas', 'protectedAreas.effectiveness'), records, { today });
    expect(panel.measures).toEqual(['mett_percent', 'budget', 'incidents']);
    expect(Object.fromEntries(panel.rows.map((r) => [r.keys[0], r.values]))).toEqual({
      p1: [60, 1500, 6],
      p2: [60, 1500, null],
    });
    expect(panel.suppressed).toBe(1);
  });

  it('puts open helpdesk requests in age bands from the day they were submitted', () => {
    const requests = ['2026-11-10', '2026-10-20', '2026-09-01', '2026-01-01', '2026-11-01'].map((d, i) =>
      record({ list: 'requests', properties: { submitted_on: d, request_status: i === 4 ? 'closed' : 'open' } }),
    );
    const panel = aggregatePanel(panelOf('helpdesk', 'requests.age'), requests, { today });
    expect(panel.rows.map((r) => [r.keys[0], r.values[0]])).toEqual([
      ['0-7', 1],
      ['8-30', 1],
      ['31-90', 1],
      ['91+', 1],
    ]);
  });
});
