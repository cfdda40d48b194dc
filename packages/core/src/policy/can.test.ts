import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyActor, PolicyRecord } from './actor.js';
import {
  PNG,
  SP,
  admin,
  bold,
  donor,
  household,
  khoroo1,
  khoroo2,
  oyuna,
  sukhbaatar1,
  tsetseg,
} from './policyPersonas.test-support.js';
import { can } from './can.js';
import { capabilities, roles } from './roles.js';
import { matchesScopeFilter, scopeFilter } from './scopeFilter.js';

const officer: PolicyActor = {
  userId: 'kila',
  role: 'law-enforcement',
  memberships: [{ projectId: PNG, role: 'law-enforcement', scopes: [{ kind: 'project' }] }],
  projects: { [PNG]: { evidenceLists: ['incidents'] } },
};
function incident(overrides: Partial<PolicyRecord> = {}): PolicyRecord {
  return household({
    id: 'inc-1',
    projectId: PNG,
    listName: 'incidents',
    areaPath: '/png/central/',
    assigneeId: null,
    ...overrides,
  });
}

describe('can: scope on records (S1)', () => {
  it('lets the khoroo-1 field worker read and write a household in khoroo 1', () => {
    expect(can(bold, 'cases.read', household())).toEqual({ allowed: true });
    expect(can(bold, 'cases.write', household())).toEqual({ allowed: true });
  });

  it('refuses the khoroo-1 field worker a household in khoroo 2, even by its id', () => {
    expect(can(bold, 'cases.read', household({ id: 'guessed', areaPath: khoroo2, assigneeId: 'other' }))).toEqual({
      allowed: false,
      reason: 'scope',
    });
  });

  it('treats an area path as a subtree: khoroo 1 does not contain khoroo 10', () => {
    expect(can(bold, 'cases.read', household({ areaPath: '/ub/bzd/bzd-010/' })).allowed).toBe(false);
    expect(can(bold, 'cases.read', household({ areaPath: `${khoroo1}block-3/` })).allowed).toBe(true);
  });

  it('refuses records without an area to an area-scoped member', () => {
    expect(can(bold, 'cases.read', household({ areaPath: null })).allowed).toBe(false);
  });

  it('answers "project" for a project the actor is not a member of, so the API can say not found', () => {
    expect(can(bold, 'cases.read', household({ projectId: 'other-project' }))).toEqual({
      allowed: false,
      reason: 'project',
    });
  });

  it('lets the district supervisor read every khoroo of Bayanzürkh and none of Sükhbaatar', () => {
    expect(can(oyuna, 'cases.read', household({ areaPath: khoroo2 })).allowed).toBe(true);
    expect(can(oyuna, 'cases.read', household({ areaPath: sukhbaatar1 }))).toEqual({ allowed: false, reason: 'scope' });
  });

  it('lets an admin account act in every project without a membership', () => {
    expect(can(admin, 'cases.read', household({ areaPath: sukhbaatar1 })).allowed).toBe(true);
    expect(can(admin, 'users.manage', { kind: 'system' }).allowed).toBe(true);
  });

  it('reaches a team member through the team and a field worker through their assignments', () => {
    const teamMember: PolicyActor = {
      userId: 'saraa',
      role: 'fieldworker',
      memberships: [{ projectId: SP, role: 'fieldworker', scopes: [{ kind: 'team', team: 'mobile-unit' }] }],
    };
    expect(can(teamMember, 'cases.read', household({ team: 'mobile-unit' })).allowed).toBe(true);
    expect(can(teamMember, 'cases.read', household({ team: 'other' })).allowed).toBe(false);

    const own: PolicyActor = {
      userId: 'bold',
      role: 'fieldworker',
      memberships: [{ projectId: SP, role: 'fieldworker', scopes: [{ kind: 'own' }] }],
    };
    expect(can(own, 'cases.read', household({ areaPath: khoroo2 })).allowed).toBe(true);
    // A case created by bold but reassigned is no longer his; his own submissions stay his.
    expect(can(own, 'cases.read', household({ assigneeId: 'saraa' })).allowed).toBe(false);
    expect(can(own, 'cases.read', household({ kind: 'submission', assigneeId: null })).allowed).toBe(true);
  });

  it('reaches nothing through a malformed area scope instead of everything', () => {
    const broken: PolicyActor = {
      userId: 'x',
      role: 'fieldworker',
      memberships: [{ projectId: SP, role: 'fieldworker', scopes: [{ kind: 'area', path: '' }] }],
    };
    expect(can(broken, 'cases.read', household()).allowed).toBe(false);
    expect(scopeFilter(broken, SP)).toEqual({ kind: 'none' });
  });
});

describe('can: capabilities', () => {
  it('does not let a field worker reassign a case, but a supervisor may', () => {
    expect(can(bold, 'cases.assign', household())).toEqual({ allowed: false, reason: 'capability' });
    expect(can(oyuna, 'cases.assign', household()).allowed).toBe(true);
  });

  it('lets the analyst read every case of the project but write none', () => {
    expect(can(tsetseg, 'cases.read', household({ areaPath: sukhbaatar1 })).allowed).toBe(true);
    expect(can(tsetseg, 'cases.write', household())).toEqual({ allowed: false, reason: 'capability' });
  });

  it('lets a donor read cases (redaction decides what of them) but neither write nor export', () => {
    expect(can(donor, 'cases.read', household({ areaPath: sukhbaatar1 })).allowed).toBe(true);
    expect(can(donor, 'cases.write', household())).toEqual({ allowed: false, reason: 'capability' });
    expect(can(donor, 'exports.run', { kind: 'project', projectId: SP }).allowed).toBe(false);
  });

  it('decides system actions from the account role', () => {
    expect(can(bold, 'users.manage', { kind: 'system' })).toEqual({ allowed: false, reason: 'capability' });
    expect(can(tsetseg, 'exports.run', { kind: 'project', projectId: SP }).allowed).toBe(true);
    expect(can(bold, 'exports.run', { kind: 'project', projectId: SP })).toEqual({
      allowed: false,
      reason: 'capability',
    });
    expect(can(bold, 'exports.run', { kind: 'project', projectId: PNG })).toEqual({
      allowed: false,
      reason: 'project',
    });
  });

  it('lets a project adjust a role: no writes for Bayanzürkh field workers, assignment for the analyst', () => {
    const locked: PolicyActor = {
      ...bold,
      projects: { [SP]: { overrides: [{ role: 'fieldworker', remove: ['cases.write'] }] } },
    };
    expect(can(locked, 'cases.write', household())).toEqual({ allowed: false, reason: 'capability' });
    expect(can(locked, 'cases.read', household()).allowed).toBe(true);
    const assigning: PolicyActor = {
      ...tsetseg,
      projects: { [SP]: { overrides: [{ role: 'analyst', add: ['cases.assign'] }] } },
    };
    expect(can(assigning, 'cases.assign', household()).allowed).toBe(true);
  });

  it('limits a role to some lists when the project says so', () => {
    const onlyHouseholds: PolicyActor = {
      ...tsetseg,
      projects: { [SP]: { overrides: [{ role: 'analyst', lists: ['households'] }] } },
    };
    expect(can(onlyHouseholds, 'cases.read', household()).allowed).toBe(true);
    expect(can(onlyHouseholds, 'cases.read', household({ listName: 'violence_cases' }))).toEqual({
      allowed: false,
      reason: 'scope',
    });
  });
});

describe('can: law enforcement reads evidence, not social-protection cases', () => {
  it('reads PNG incidents through incidents.evidence.read', () => {
    expect(can(officer, 'cases.read', incident())).toEqual({ allowed: true });
    expect(can(officer, 'incidents.evidence.read', incident()).allowed).toBe(true);
  });

  it('does not read species observations of the same project, nor write incidents', () => {
    expect(can(officer, 'cases.read', incident({ listName: 'observations' }))).toEqual({
      allowed: false,
      reason: 'capability',
    });
    expect(can(officer, 'cases.write', incident()).allowed).toBe(false);
  });

  it('sees no Mongolian household at all', () => {
    expect(can(officer, 'cases.read', household())).toEqual({ allowed: false, reason: 'project' });
    const alsoInSp: PolicyActor = {
      ...officer,
      memberships: [...officer.memberships, { projectId: SP, role: 'law-enforcement', scopes: [{ kind: 'project' }] }],
    };
    expect(can(alsoInSp, 'cases.read', household())).toEqual({ allowed: false, reason: 'capability' });
  });

  it('lists nothing until the project names its evidence lists', () => {
    const unconfigured: PolicyActor = { ...officer, projects: {} };
    expect(can(unconfigured, 'cases.read', incident()).allowed).toBe(false);
    expect(scopeFilter(unconfigured, PNG)).toEqual({ kind: 'none' });
    expect(scopeFilter(officer, PNG)).toEqual({ kind: 'lists', names: ['incidents'] });
  });
});

describe('can: attachments follow the field they were captured in', () => {
  const photo = (fieldClass?: PolicyRecord['fieldClass']): PolicyRecord =>
    household({ kind: 'attachment', id: 'photo-1', ...(fieldClass === undefined ? {} : { fieldClass }) });

  it('shows the analyst a photo of a normal field but not the photo of an ID card', () => {
    expect(can(tsetseg, 'cases.read', photo('normal')).allowed).toBe(true);
    expect(can(tsetseg, 'cases.read', photo('identifying'))).toEqual({ allowed: false, reason: 'field' });
  });

  it('keeps photos of a location field from roles that see locations only coarsened', () => {
    expect(can(tsetseg, 'cases.read', photo('location'))).toEqual({ allowed: false, reason: 'field' });
    expect(can(bold, 'cases.read', photo('location')).allowed).toBe(true);
  });

  it('treats an attachment whose field class was not looked up as identifying', () => {
    expect(can(tsetseg, 'cases.read', photo()).allowed).toBe(false);
    expect(can(bold, 'cases.read', photo()).allowed).toBe(true);
  });
});

describe('scopeFilter: the same rules as a query description', () => {
  it('describes the personas', () => {
    expect(scopeFilter(bold, SP)).toEqual({ kind: 'areas', pathPrefixes: [khoroo1] });
    expect(scopeFilter(oyuna, SP)).toEqual({ kind: 'areas', pathPrefixes: ['/ub/bzd/'] });
    expect(scopeFilter(tsetseg, SP)).toEqual({ kind: 'all' });
    expect(scopeFilter(admin, SP)).toEqual({ kind: 'all' });
    expect(scopeFilter(bold, PNG)).toEqual({ kind: 'none' });
    expect(scopeFilter(tsetseg, SP, { action: 'cases.write' })).toEqual({ kind: 'none' });
  });

  it('merges memberships: nested areas collapse, own assignments add an alternative', () => {
    const actor: PolicyActor = {
      userId: 'bold',
      role: 'fieldworker',
      memberships: [
        { projectId: SP, role: 'fieldworker', scopes: [{ kind: 'area', path: khoroo1 }, { kind: 'own' }] },
        { projectId: SP, role: 'fieldworker', scopes: [{ kind: 'area', path: '/ub/bzd/' }] },
      ],
    };
    expect(scopeFilter(actor, SP)).toEqual({
      kind: 'anyOf',
      filters: [
        { kind: 'areas', pathPrefixes: ['/ub/bzd/'] },
        { kind: 'assignee', userId: 'bold' },
      ],
    });
    expect(scopeFilter(actor, SP, { recordKind: 'submission' })).toEqual({
      kind: 'anyOf',
      filters: [
        { kind: 'areas', pathPrefixes: ['/ub/bzd/'] },
        { kind: 'assignee', userId: 'bold' },
        { kind: 'creator', userId: 'bold' },
      ],
    });
  });

  it('agrees with can() for random actors, records and actions', () => {
    const projects = ['p1', 'p2'];
    const users = ['u1', 'u2', 'u3'];
    const paths = ['/a/', '/a/b/', '/a/b/c/', '/a/bc/', '/d/', '/', '/a/b', 'a/b/', ''];
    const teams = ['t1', 't2'];
    const lists = ['cases', 'incidents', 'observations'];
    const scope = fc.oneof(
      fc.constant({ kind: 'project' as const }),
      fc.constantFrom(...paths).map((path) => ({ kind: 'area' as const, path })),
      fc.constantFrom(...teams).map((team) => ({ kind: 'team' as const, team })),
      fc.constant({ kind: 'own' as const }),
    );
    const membership = fc.record({
      projectId: fc.constantFrom(...projects),
      role: fc.constantFrom(...roles),
      scopes: fc.array(scope, { maxLength: 3 }),
    });
    const override = fc.record(
      {
        role: fc.constantFrom(...roles),
        add: fc.subarray([...capabilities]),
        remove: fc.subarray([...capabilities]),
        lists: fc.subarray(lists),
      },
      { requiredKeys: ['role'] },
    );
    const policy = fc.record(
      { overrides: fc.array(override, { maxLength: 2 }), evidenceLists: fc.subarray(lists) },
      { requiredKeys: [] },
    );
    const actor = fc.record({
      userId: fc.constantFrom(...users),
      role: fc.constantFrom(...roles),
      memberships: fc.array(membership, { maxLength: 3 }),
      projects: fc.record({ p1: policy, p2: policy }, { requiredKeys: [] }),
    });
    const record = fc.record({
      kind: fc.constantFrom('entity' as const, 'submission' as const),
      id: fc.constant('r'),
      projectId: fc.constantFrom(...projects),
      listName: fc.option(fc.constantFrom(...lists)),
      areaPath: fc.option(fc.constantFrom(...paths.slice(0, 6), '/a/b/c/e/')),
      team: fc.option(fc.constantFrom(...teams)),
      assigneeId: fc.option(fc.constantFrom(...users)),
      createdBy: fc.option(fc.constantFrom(...users)),
    });
    fc.assert(
      fc.property(actor, record, fc.constantFrom(...capabilities), (a, r, action) => {
        const filter = scopeFilter(a, r.projectId, { action, recordKind: r.kind });
        expect(matchesScopeFilter(filter, r)).toBe(can(a, action, r).allowed);
      }),
      { numRuns: 3000, seed: 20240601 },
    );
  });
});
