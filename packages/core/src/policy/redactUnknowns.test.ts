import { describe, expect, it } from 'vitest';
import type { PolicyActor } from './actor.js';
import { SP, bold, donor, field, household, tsetseg } from './policyPersonas.test-support.js';
import { redact } from './redact.js';
import { labelClassOf, policyCatalogue } from './sensitivity.js';

// What the policy does with what nobody classified: labels no form declares, values a record
// carries besides its answers, and area codes held in ordinary fields (issue 9, points 4, 5, 9).

const areas = [
  { id: 'ub', level: 'aimag', code: 'MN11', name: 'Ulaanbaatar', depth: 1 },
  { id: 'bzd', level: 'district', code: 'MN1110', name: 'Bayanzürkh', depth: 2 },
  { id: 'bzd-01', level: 'khoroo', code: 'MN111051', name: 'Khoroo 1', depth: 3 },
];

/** A follow-up form: it updates households and saves the soum and bag, but declares no label. */
const followUp = {
  fields: [
    field('/data/soum', 'select_one', null, 'soum'),
    field('/data/bag', 'select_one', 'location', 'bag'),
    field('/data/visits', 'integer', null, 'visits'),
  ],
  entities: { dataset: 'households', label: null, entityId: null, createIf: null, updateIf: null, properties: [] },
};

const seeded = () =>
  household({
    label: 'П. Алтанцэцэг',
    properties: { soum: 'MN1110', bag: 'MN111051', visits: '3' },
  });

describe('labels no published form declares', () => {
  const catalogue = policyCatalogue([followUp], areas);

  it('are identifying: the analyst and the partner get no name, the field worker does', () => {
    expect(labelClassOf(catalogue, 'households')).toBe('identifying');
    expect(redact(tsetseg, seeded(), catalogue).record.label).toBeNull();
    expect(redact(donor, seeded(), catalogue).record.label).toBeNull();
    expect(redact(bold, seeded(), catalogue).record.label).toBe('П. Алтанцэцэг');
  });

  it('are identifying with no forms at all (a seeded caseload)', () => {
    expect(redact(tsetseg, seeded(), policyCatalogue([], areas)).record.label).toBeNull();
  });

  it('of one list do not take the class another list declares', () => {
    const sites = {
      fields: [field('/data/site_no', 'text', 'normal')],
      entities: {
        dataset: 'sites',
        label: '/data/site_no',
        entityId: null,
        createIf: null,
        updateIf: null,
        properties: [],
      },
    };
    const withSites = policyCatalogue([followUp, sites], areas);
    expect(labelClassOf(withSites, 'sites')).toBe('normal');
    expect(redact(tsetseg, seeded(), withSites).record.label).toBeNull();
  });

  it('hide the entity label and instance name inside a submission too', () => {
    const { record } = redact(
      tsetseg,
      {
        ...household(),
        kind: 'submission',
        data: { visits: '3', meta: { instanceName: 'П. Алтанцэцэг', entity: { label: 'П. Алтанцэцэг' } } },
      },
      catalogue,
    );
    expect(JSON.stringify(record)).not.toContain('Алтанцэцэг');
  });
});

describe('values a case carries besides its answers', () => {
  const catalogue = policyCatalogue([followUp], areas);
  const carrying = () => ({ ...seeded(), status: 'open', categories: ['domestic_violence'], mood: 'x' });

  it('give the vulnerability categories only to roles shown sensitive values', () => {
    expect(redact(donor, carrying(), catalogue).record).not.toHaveProperty('categories');
    expect(redact(tsetseg, carrying(), catalogue).record).toMatchObject({ categories: ['domestic_violence'] });
    expect(redact(donor, carrying(), catalogue).marks).toContainEqual({
      pointer: '/categories',
      field: null,
      class: 'sensitive',
      action: 'hidden',
    });
  });

  it('treat a value without a class as sensitive, and keep normal ones', () => {
    const { record } = redact(donor, carrying(), catalogue);
    expect(record).not.toHaveProperty('mood');
    expect(record).toMatchObject({ status: 'open', id: 'hh-1', listName: 'households', assigneeId: 'bold' });
  });
});

describe('area paths and area codes follow the location precision', () => {
  const catalogue = policyCatalogue([followUp], areas);
  const donorWithDistricts: PolicyActor = {
    ...donor,
    projects: { [SP]: { overrides: [{ role: 'partner', locationPrecision: { areaLevel: 'district' } }] } },
  };

  it('stop above the khoroo on a grid: the analyst sees the district, not the khoroo', () => {
    const { record } = redact(tsetseg, seeded(), catalogue);
    expect(record.areaPath).toBe('/ub/bzd/');
    expect(record.properties).toEqual({ soum: 'MN1110', visits: '3' });
  });

  it('give a role whose locations are hidden no area code in any field', () => {
    const { record, marks } = redact(donor, seeded(), catalogue);
    expect(record.areaPath).toBeNull();
    expect(record.properties).toEqual({ visits: '3' });
    expect(marks).toContainEqual({ pointer: '/properties/soum', field: 'soum', class: 'location', action: 'hidden' });
  });

  it('give codes down to the level a project grants, and none finer', () => {
    const { record } = redact(donorWithDistricts, seeded(), catalogue);
    expect(record.areaPath).toBe('/ub/bzd/');
    expect(record.properties).toEqual({ soum: 'MN1110', visits: '3' });
  });

  it('give everything to a role with exact locations', () => {
    const { record } = redact(bold, seeded(), catalogue);
    expect(record.areaPath).toBe('/ub/bzd/bzd-01/');
    expect(record.properties).toEqual({ soum: 'MN1110', bag: 'MN111051', visits: '3' });
  });

  it('hide an area path the catalogue cannot place on a grid', () => {
    expect(redact(tsetseg, seeded(), policyCatalogue([followUp])).record.areaPath).toBeNull();
  });
});
