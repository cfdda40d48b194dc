import { describe, expect, it } from 'vitest';
import { statusOf } from './caseStatus.js';

describe('statusOf', () => {
  it('reads the status the forms save, whatever the list calls it', () => {
    expect(statusOf({ needs: 'food', case_status: 'in_progress' })).toBe('in_progress');
    expect(statusOf({ request_status: 'waiting', assigned_expert: 'm_novak' })).toBe('waiting');
    expect(statusOf({ status: 'closed', incident_status: 'open' })).toBe('closed');
  });

  it('sets nothing when the change carries no status or a blank one', () => {
    expect(statusOf({ needs: 'food' })).toBeNull();
    expect(statusOf({ case_status: '' })).toBeNull();
    expect(statusOf({ _status: 'x' })).toBeNull();
  });
});
