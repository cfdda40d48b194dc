import { describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../../sync/listDeviceRecords.js';
import { caseRow } from './caseRows.js';

const today = { year: 2026, month: 12, day: 7 };

function record(properties: Record<string, unknown>): DeviceRecord {
  return {
    id: 'c1',
    list: 'requests',
    projectId: 'p1',
    label: typeof properties['__label'] === 'string' ? properties['__label'] : 'c1',
    status: 'in_progress',
    state: 'synced',
    rejection: null,
    seq: null,
    properties,
    version: 2,
    pendingSeq: 0,
  };
}

describe('the case row', () => {
  it('carries who the case is assigned to, from the triage form’s assignee property', () => {
    const row = caseRow(record({ __label: 'Internet down', assigned_assignee: 'tsetseg' }), undefined, today);
    expect(row.assignee).toEqual({ field: 'assigned_assignee', username: 'tsetseg' });
    expect(caseRow(record({ __label: 'Printer', assignee: '' }), undefined, today).assignee).toBeNull();
  });

  it('never shows the assignee to a role that may not see the name', () => {
    const row = caseRow(record({ __label: null, assignee: 'tsetseg' }), undefined, today);
    expect(row.label).toBeNull();
    expect(row.assignee).toBeNull();
  });
});
