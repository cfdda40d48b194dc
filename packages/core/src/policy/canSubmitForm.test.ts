import { describe, expect, it } from 'vitest';
import type { PolicyActor } from './actor.js';
import { canSubmitForm } from './canSubmitForm.js';
import { admin, bold, donor, field, oyuna, SP, tsetseg } from './policyPersonas.test-support.js';
import { policyCatalogue } from './sensitivity.js';

const visitFields = [
  field('/data/case_id', 'select_one_from_file cases.csv', null),
  field('/data/needs', 'select_multiple need', 'sensitive', 'needs'),
  field('/data/case_status', 'select_one case_status', null, 'case_status'),
];
const catalogue = policyCatalogue([{ fields: visitFields }]);
const visit = {
  entities: { dataset: 'cases', properties: [{ property: 'needs' }, { property: 'case_status' }] },
};

describe('canSubmitForm: forms are offered to whoever may send them', () => {
  it('offers the visit to field workers, supervisors and admins', () => {
    for (const actor of [bold, oyuna, admin]) {
      expect(canSubmitForm(actor, SP, visit, catalogue), actor.userId).toEqual({ allowed: true });
    }
  });

  it('offers nothing to the read-only analyst or partner', () => {
    expect(canSubmitForm(tsetseg, SP, visit, catalogue)).toEqual({ allowed: false, reason: 'capability' });
    expect(canSubmitForm(tsetseg, SP, null)).toEqual({ allowed: false, reason: 'capability' });
    expect(canSubmitForm(donor, SP, null)).toEqual({ allowed: false, reason: 'capability' });
  });

  it('offers nothing in a project the user is not in', () => {
    expect(canSubmitForm(bold, 'another-project', null)).toEqual({ allowed: false, reason: 'project' });
  });

  it('withholds a form that saves what the role may not see, or to a list closed to it', () => {
    const blind: PolicyActor = {
      ...bold,
      projects: { [SP]: { overrides: [{ role: 'fieldworker', sensitivity: { sensitive: 'hide' } }] } },
    };
    expect(canSubmitForm(blind, SP, visit, catalogue)).toEqual({ allowed: false, reason: 'field' });
    const otherList: PolicyActor = {
      ...bold,
      projects: { [SP]: { overrides: [{ role: 'fieldworker', lists: ['incidents'] }] } },
    };
    expect(canSubmitForm(otherList, SP, visit, catalogue)).toEqual({ allowed: false, reason: 'capability' });
    expect(canSubmitForm(otherList, SP, { entities: null }, catalogue)).toEqual({ allowed: true });
  });
});
