import { describe, expect, it } from 'vitest';
import type { PolicyActor, PolicyRecord } from './actor.js';
import {
  admin,
  bold,
  field,
  household as householdCase,
  khoroo1,
  khoroo2,
  oyuna,
  SP,
  tsetseg,
} from './policyPersonas.test-support.js';
import { checkCreate, checkWrite, writableFields } from './checkWrite.js';
import { policyCatalogue } from './sensitivity.js';

const catalogue = policyCatalogue([
  {
    fields: [
      field('/data/household/head_name', 'text', 'identifying', 'head_name'),
      field('/data/household/income', 'integer', 'sensitive', 'income'),
      field('/data/household/size', 'integer', null, 'size'),
      field('/data/household/location', 'geopoint', 'location', 'geometry'),
      field('/data/members/name', 'text', 'identifying'),
      field('/data/members/age', 'integer', null),
    ],
  },
]);

const household: PolicyRecord = householdCase({
  label: 'Бат-Эрдэнэ',
  properties: { head_name: 'Бат-Эрдэнэ', size: '5' },
});

describe('checkWrite: mass assignment (S3)', () => {
  it('lets the field worker update answers and status of his case', () => {
    expect(
      checkWrite(bold, household, { status: 'assessed', properties: { size: '6', income: '1000' } }, catalogue),
    ).toEqual({ ok: true });
  });

  it('ignores envelope fields a client echoes back unchanged', () => {
    expect(checkWrite(bold, household, { ...household, status: 'assessed' }, catalogue)).toEqual({ ok: true });
  });

  it('refuses the field worker a change of assignee, team or area, naming each field', () => {
    expect(checkWrite(bold, household, { assigneeId: 'saraa', team: 'mobile', areaPath: khoroo2 }, catalogue)).toEqual({
      ok: false,
      reason: 'fields',
      fields: ['/assigneeId', '/team', '/areaPath'],
    });
  });

  it('refuses owner, ids, project, list and role for everyone, administrators included', () => {
    const changes = { createdBy: 'admin', id: 'hh-2', projectId: 'other', listName: 'cases', role: 'admin' };
    for (const actor of [bold, oyuna, admin]) {
      expect(checkWrite(actor, household, changes, catalogue)).toEqual({
        ok: false,
        reason: 'fields',
        fields: ['/createdBy', '/id', '/projectId', '/listName', '/role'],
      });
    }
  });

  it('refuses answers outside the form, and answers written in the wrong place', () => {
    expect(checkWrite(bold, household, { properties: { size: '4', approved_by_ministry: 'yes' } }, catalogue)).toEqual({
      ok: false,
      reason: 'fields',
      fields: ['/properties/approved_by_ministry'],
    });
    expect(checkWrite(bold, household, { data: { household: { size: '4' } } }, catalogue)).toMatchObject({
      fields: ['/data'],
    });
  });

  it('lets the district supervisor reassign within the district but not move a case to another district', () => {
    expect(checkWrite(oyuna, household, { assigneeId: 'saraa', areaPath: khoroo2 }, catalogue)).toEqual({ ok: true });
    expect(checkWrite(oyuna, household, { areaPath: '/ub/sbd/sbd-01/' }, catalogue)).toEqual({
      ok: false,
      reason: 'scope',
      fields: ['/areaPath'],
    });
  });

  it('refuses scope fields of the wrong type instead of trusting them', () => {
    expect(checkWrite(oyuna, household, { areaPath: 42 }, catalogue)).toMatchObject({ fields: ['/areaPath'] });
    expect(checkWrite(oyuna, household, { areaPath: '/ub/bzd' }, catalogue)).toMatchObject({ fields: ['/areaPath'] });
  });

  it('answers with the access reason before looking at fields', () => {
    expect(checkWrite(tsetseg, household, { status: 'closed' }, catalogue)).toEqual({
      ok: false,
      reason: 'capability',
      fields: [],
    });
    expect(checkWrite(bold, { ...household, areaPath: khoroo2 }, { status: 'closed' }, catalogue)).toEqual({
      ok: false,
      reason: 'scope',
      fields: [],
    });
  });

  it('refuses writes to fields the writer sees only hidden or coarsened', () => {
    const coarse: PolicyActor = {
      ...bold,
      projects: {
        [SP]: {
          overrides: [{ role: 'fieldworker', locationPrecision: { grid: 1000 }, sensitivity: { sensitive: 'hide' } }],
        },
      },
    };
    expect(
      checkWrite(coarse, household, { properties: { geometry: '47.9 106.9', income: '1', size: '2' } }, catalogue),
    ).toEqual({
      ok: false,
      reason: 'fields',
      fields: ['/properties/geometry', '/properties/income'],
    });
  });
});

describe('checkCreate', () => {
  const submission: PolicyRecord = {
    kind: 'submission',
    id: 'uuid:new',
    projectId: SP,
    listName: 'households',
    areaPath: khoroo1,
    team: null,
    assigneeId: null,
    createdBy: 'bold',
    data: {
      household: { head_name: 'Дорж', size: '3', location: '47.9 106.9 1300 4' },
      members: [{ name: 'Сарнай', age: '30' }],
      meta: { instanceID: 'uuid:new' },
    },
  };

  it('accepts a field worker’s registration in his khoroo', () => {
    expect(checkCreate(bold, submission, catalogue)).toEqual({ ok: true });
  });

  it('refuses a registration placed in another khoroo', () => {
    expect(checkCreate(bold, { ...submission, areaPath: khoroo2 }, catalogue)).toEqual({
      ok: false,
      reason: 'scope',
      fields: [],
    });
  });

  it('refuses a registration sent in someone else’s name or assigned to someone else', () => {
    expect(checkCreate(bold, { ...submission, createdBy: 'saraa', assigneeId: 'saraa' }, catalogue)).toEqual({
      ok: false,
      reason: 'fields',
      fields: ['/createdBy', '/assigneeId'],
    });
  });

  it('refuses answers to questions the form does not have, also inside repeats', () => {
    const data = { household: { size: '3', injected: 'x' }, members: [{ age: '3', secret: 'y' }] };
    expect(checkCreate(bold, { ...submission, data }, catalogue)).toEqual({
      ok: false,
      reason: 'fields',
      fields: ['/data/household/injected', '/data/members/0/secret'],
    });
  });
});

describe('writableFields', () => {
  it('lists what each persona may change on a case', () => {
    expect(writableFields(bold, 'entity', SP)).toEqual({
      envelope: ['label', 'status', 'categories'],
      payload: 'properties',
    });
    expect(writableFields(oyuna, 'entity', SP)).toEqual({
      envelope: ['label', 'status', 'categories', 'assigneeId', 'team', 'areaPath'],
      payload: 'properties',
    });
    expect(writableFields(tsetseg, 'entity', SP)).toEqual({ envelope: [], payload: null });
  });

  it('keeps submissions immutable and memberships to user managers', () => {
    expect(writableFields(bold, 'submission', SP)).toEqual({ envelope: [], payload: 'data' });
    expect(writableFields(oyuna, 'membership', SP)).toEqual({ envelope: [], payload: null });
    expect(writableFields(admin, 'membership', SP)).toEqual({ envelope: ['role', 'scopes'], payload: null });
  });
});
