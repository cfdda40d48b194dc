import { describe, expect, it } from 'vitest';
import { assigneeOf } from './caseAssignee.js';

describe('assigneeOf', () => {
  it('reads the username a form assigns the case to', () => {
    expect(assigneeOf({ request_status: 'in_progress', assignee: 'm.novak' })).toBe('m.novak');
    expect(assigneeOf({ request_assignee: ' J.Okafor ' })).toBe('j.okafor');
    expect(assigneeOf({ assignee: 'a', other_assignee: 'b' })).toBe('a');
  });

  it('assigns nothing when the change carries no assignee or a blank one', () => {
    expect(assigneeOf({ needs: 'food', assigned_expert: 'm_novak' })).toBeNull();
    expect(assigneeOf({ assignee: '  ' })).toBeNull();
    expect(assigneeOf({ _assignee: 'x' })).toBeNull();
  });
});
