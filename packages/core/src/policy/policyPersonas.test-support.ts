// The people and records the policy tests speak of, so each test file reads as the same story.
// Bayanzürkh social protection (SP) and a PNG protected-area project; area paths are area ids
// from the root: Ulaanbaatar / Bayanzürkh district / khoroo.
import type { FieldInfo } from '../xlsform/types.js';
import type { PolicyActor, PolicyRecord } from './actor.js';

export const SP = 'sp-bayanzurkh';
export const PNG = 'png-varirata';
export const khoroo1 = '/ub/bzd/bzd-01/';
export const khoroo2 = '/ub/bzd/bzd-02/';
export const sukhbaatar1 = '/ub/sbd/sbd-01/';

/** A member of the SP project: over an area subtree, or the whole project when `path` is null. */
export function member(userId: string, role: PolicyActor['role'], path: string | null = null): PolicyActor {
  return {
    userId,
    role,
    memberships: [{ projectId: SP, role, scopes: [path === null ? { kind: 'project' } : { kind: 'area', path }] }],
  };
}

/** Field worker for khoroo 1. */
export const bold = member('bold', 'fieldworker', khoroo1);
/** Supervisor for all of Bayanzürkh. */
export const oyuna = member('oyuna', 'supervisor', '/ub/bzd/');
export const tsetseg = member('tsetseg', 'analyst');
export const donor = member('donor', 'partner');
export const admin: PolicyActor = { userId: 'admin', role: 'admin', memberships: [] };

/** A form field as the compiler catalogues it; questions under `/members/` are in a repeat. */
export function field(path: string, type: string, sensitivity: string | null, saveTo: string | null = null): FieldInfo {
  const name = path.split('/').pop() ?? path;
  return { path, name, type, labels: { default: name }, sensitivity, saveTo, repeat: path.includes('/members/') };
}

/** Bold's household case in khoroo 1, without answers: tests add the label and properties they read. */
export function household(overrides: Partial<PolicyRecord> = {}): PolicyRecord {
  return {
    kind: 'entity',
    id: 'hh-1',
    projectId: SP,
    listName: 'households',
    areaPath: khoroo1,
    team: null,
    assigneeId: 'bold',
    createdBy: 'bold',
    ...overrides,
  };
}
