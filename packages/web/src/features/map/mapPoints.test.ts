import { describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../../sync/listDeviceRecords.js';
import { caseRow } from '../cases/caseRows.js';
import { kindOfList, mapPoints } from './mapPoints.js';

const today = { year: 2026, month: 12, day: 7 };
const row = (id: string, list: string, properties: Record<string, unknown>) => {
  const record: DeviceRecord = {
    id,
    list,
    projectId: 'p1',
    label: id,
    status: 'open',
    state: 'synced',
    rejection: null,
    seq: null,
    properties: { __label: id, ...properties },
    version: 1,
    pendingSeq: 0,
  };
  return caseRow(record, undefined, today);
};

describe('the points of the project map', () => {
  it('places each found record at its location, as the policy sent it, coloured by its list', () => {
    const found = mapPoints([
      row('c1', 'cases', { location: '47.9184 106.9177 1350 5' }),
      // A coarse role's point arrives snapped to its grid: drawn where it was sent.
      row('c2', 'cases', { location: '47.9 106.9' }),
      row('i1', 'incidents', { where: '-6.2 147.1 0 10' }),
      row('o1', 'observations', { geometry: '-6.3 147.2' }),
      // An area-level role gets the area, not a point; a record without a location.
      row('c3', 'cases', { location: { areaLevel: 'khoroo', code: 'MN111051' } }),
      row('c4', 'cases', { head_given_name: 'Сараа' }),
    ]);
    expect(found.points.features.map((f) => [f.properties.id, f.properties.kind, f.geometry.coordinates])).toEqual([
      ['c1', 'case', [106.9177, 47.9184]],
      ['c2', 'case', [106.9, 47.9]],
      ['i1', 'incident', [147.1, -6.2]],
      ['o1', 'observation', [147.2, -6.3]],
    ]);
    expect(found.unplaced).toBe(2);
    expect(Object.fromEntries(found.byKind)).toEqual({ case: 2, incident: 1, observation: 1 });
  });

  it('never reads a location from the envelope, nor a point off the Earth', () => {
    const found = mapPoints([row('c1', 'cases', { __geo: '1 2', location: '95 200' })]);
    expect(found.points.features).toEqual([]);
    expect(found.unplaced).toBe(1);
  });

  it('names the kinds of the templates lists', () => {
    expect(['cases', 'households', 'incidents', 'observations', 'protected_areas'].map(kindOfList)).toEqual([
      'case',
      'case',
      'incident',
      'observation',
      'other',
    ]);
  });
});
