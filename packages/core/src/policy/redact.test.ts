import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyActor, PolicyRecord } from './actor.js';
import { PNG, SP, bold, donor, field, household, tsetseg } from './policyPersonas.test-support.js';
import { redact, redactorFor } from './redact.js';
import { policyCatalogue } from './sensitivity.js';

// A household registration form as the Mongolia template declares it, cut down.
const householdForm = {
  fields: [
    field('/data/household/head_name', 'text', 'identifying', 'head_name'),
    field('/data/household/register_no', 'text', 'identifying', 'register_no'),
    field('/data/household/income', 'integer', 'sensitive', 'income'),
    field('/data/household/size', 'integer', null, 'size'),
    field('/data/household/location', 'geopoint', 'location', 'geometry'),
    field('/data/household/address_detail', 'text', 'location', 'address_detail'),
    field('/data/members/name', 'text', 'identifying'),
    field('/data/members/age', 'integer', null),
    field('/data/members/disability', 'select_one', 'sensitive'),
    field('/data/visit_route', 'geotrace', null),
  ],
  entities: {
    dataset: 'households',
    label: 'concat( /data/household/head_name )',
    entityId: null,
    createIf: null,
    updateIf: null,
    properties: [],
  },
};
const areas = [
  { id: 'ub', level: 'aimag', code: 'MN11', name: 'Ulaanbaatar', depth: 1 },
  { id: 'bzd', level: 'soum', code: 'MN1101', name: 'Bayanzürkh', depth: 2 },
  { id: 'bzd-01', level: 'bag', code: 'MN110101', name: '1-р хороо', depth: 3 },
];
const catalogue = policyCatalogue([householdForm], areas);

const donorWithSoums: PolicyActor = {
  ...donor,
  projects: { [SP]: { overrides: [{ role: 'partner', locationPrecision: { areaLevel: 'soum' } }] } },
};

const dwelling = '47.918512 106.917734 1350.5 4.2';

function householdEntity(): PolicyRecord {
  return household({
    label: 'Бат-Эрдэнэ Дорж',
    properties: {
      head_name: 'Бат-Эрдэнэ Дорж',
      register_no: 'УК88031214',
      income: '350000',
      size: '5',
      geometry: dwelling,
      address_detail: '12-р байр, 34 тоот',
    },
  });
}

function householdSubmission(): PolicyRecord {
  const { properties: _entityOnly, ...envelope } = householdEntity();
  return {
    ...envelope,
    kind: 'submission',
    id: 'uuid:1',
    label: null,
    data: {
      household: { head_name: 'Бат-Эрдэнэ Дорж', income: '350000', size: '5', location: dwelling },
      members: [
        { name: 'Сарнай', age: '34', disability: 'none' },
        { name: 'Тэмүүлэн', age: '7', disability: 'hearing' },
      ],
      visit_route: '47.91 106.91 1300 5;47.92 106.92 1310 5',
      meta: { instanceID: 'uuid:1', instanceName: 'Бат-Эрдэнэ Дорж' },
    },
  };
}

describe('redact: what each persona receives (S2)', () => {
  it('gives the khoroo field worker everything, exactly, and reports nothing', () => {
    const { record, marks } = redact(bold, householdEntity(), catalogue);
    expect(record).toEqual(householdEntity());
    expect(marks).toEqual([]);
  });

  it('gives the analyst no names or register numbers, incomes as they are, and locations on a 1 km grid', () => {
    const { record, marks } = redact(tsetseg, householdEntity(), catalogue);
    expect(record.label).toBeNull();
    expect(record.properties).not.toHaveProperty('head_name');
    expect(record.properties).not.toHaveProperty('register_no');
    expect(record.properties?.['income']).toBe('350000');
    expect(record.properties?.['geometry']).not.toBe(dwelling);
    expect(String(record.properties?.['geometry']).split(' ')).toHaveLength(2);
    // An address line cannot be snapped to a grid.
    expect(record.properties).not.toHaveProperty('address_detail');
    // Nor does the area path name the khoroo: it stops at the district.
    expect(record.areaPath).toBe('/ub/bzd/');
    expect(marks).toEqual(
      expect.arrayContaining([
        { pointer: '/label', field: null, class: 'identifying', action: 'hidden' },
        { pointer: '/properties/head_name', field: 'head_name', class: 'identifying', action: 'hidden' },
        {
          pointer: '/properties/geometry',
          field: 'geometry',
          class: 'location',
          action: 'coarsened',
          precision: { grid: 1000 },
        },
        { pointer: '/properties/address_detail', field: 'address_detail', class: 'location', action: 'hidden' },
        { pointer: '/areaPath', field: null, class: 'location', action: 'coarsened', precision: { grid: 1000 } },
      ]),
    );
  });

  it('walks submission groups and repeats: member names go, ages stay, the route is coarsened vertex by vertex', () => {
    const { record, marks } = redact(tsetseg, householdSubmission(), catalogue);
    const data = record.data as {
      members: Array<Record<string, unknown>>;
      household: Record<string, unknown>;
      visit_route: string;
      meta: Record<string, unknown>;
    };
    expect(data.members).toEqual([
      { age: '34', disability: 'none' },
      { age: '7', disability: 'hearing' },
    ]);
    expect(data.household).not.toHaveProperty('head_name');
    expect(data.visit_route.split(';').every((v) => v.split(' ').length === 2)).toBe(true);
    expect(data.meta).toEqual({ instanceID: 'uuid:1' });
    expect(marks.map((m) => m.pointer)).toEqual(
      expect.arrayContaining([
        '/data/members/0/name',
        '/data/members/1/name',
        '/data/visit_route',
        '/data/meta/instanceName',
      ]),
    );
  });

  it('gives a donor neither identities nor sensitive answers nor any location by default', () => {
    const { record } = redact(donor, householdSubmission(), catalogue);
    const data = record.data as { members: Array<Record<string, unknown>>; household: Record<string, unknown> };
    expect(data.household).toEqual({ size: '5' });
    expect(data.members).toEqual([{ age: '34' }, { age: '7' }]);
    expect(record.areaPath).toBeNull();
    expect(record.data).not.toHaveProperty('visit_route');
  });

  it('names the soum instead of any coordinate when the project gives donors an area level', () => {
    const { record, marks } = redact(donorWithSoums, householdEntity(), catalogue);
    const soum = { level: 'soum', code: 'MN1101', name: 'Bayanzürkh' };
    expect(record.properties?.['geometry']).toEqual(soum);
    expect(record.properties?.['address_detail']).toEqual(soum);
    expect(record.areaPath).toBe('/ub/bzd/');
    expect(marks).toContainEqual({
      pointer: '/areaPath',
      field: null,
      class: 'location',
      action: 'coarsened',
      precision: { areaLevel: 'soum' },
    });
  });

  it('gives the law-enforcement officer incident suspects and exact positions', () => {
    const incidentForm = {
      fields: [
        field('/data/suspect/suspect_name', 'text', 'identifying'),
        field('/data/location', 'geopoint', 'location'),
        field('/data/evidence/exhibit_id', 'text', null),
      ],
    };
    const officer: PolicyActor = {
      userId: 'kila',
      role: 'law-enforcement',
      memberships: [{ projectId: PNG, role: 'law-enforcement', scopes: [{ kind: 'project' }] }],
      projects: { [PNG]: { evidenceLists: ['incidents'] } },
    };
    const incident: PolicyRecord = {
      kind: 'submission',
      id: 'uuid:inc',
      projectId: PNG,
      listName: 'incidents',
      areaPath: '/png/central/',
      team: null,
      assigneeId: null,
      createdBy: 'ranger',
      data: {
        suspect: { suspect_name: 'John Kaupa' },
        location: '-9.43 147.18 45 5',
        evidence: [{ exhibit_id: 'EX-1' }],
      },
    };
    const { record, marks } = redact(officer, incident, policyCatalogue([incidentForm]));
    expect(record).toEqual(incident);
    expect(marks).toEqual([]);
  });

  it('refuses to redact a record the actor may not read at all', () => {
    expect(() => redact(bold, { ...householdEntity(), areaPath: '/ub/sbd/sbd-01/' }, catalogue)).toThrow(/can\(\)/);
  });
});

describe('redact: fails closed and leaves its input alone', () => {
  it('hides a property no form declares from the analyst, but gives it to the field worker', () => {
    const record = { ...householdEntity(), properties: { stray_note: 'lives with abuser' } };
    expect(redact(tsetseg, record, catalogue).record.properties).toEqual({});
    expect(redact(bold, record, catalogue).record.properties).toEqual({ stray_note: 'lives with abuser' });
  });

  it('coarsens coordinates in a field the catalogue does not know, for a role that sees identities but not exact places', () => {
    const lenient: PolicyActor = {
      ...tsetseg,
      projects: { [SP]: { overrides: [{ role: 'analyst', sensitivity: { identifying: 'show' } }] } },
    };
    const record = { ...householdEntity(), properties: { old_gps: dwelling, old_note: 'x' } };
    const out = redact(lenient, record, catalogue).record.properties ?? {};
    expect(String(out['old_gps']).split(' ')).toHaveLength(2);
    expect(out['old_gps']).not.toBe(dwelling);
    expect(out).not.toHaveProperty('old_note');
  });

  it('never mutates the record it was given nor shares nested objects with it', () => {
    const input = householdSubmission();
    const before = JSON.stringify(input);
    const { record } = redact(bold, input, catalogue);
    expect(JSON.stringify(input)).toBe(before);
    (record.data as { members: unknown[] }).members.push('changed');
    expect(JSON.stringify(input)).toBe(before);
  });

  it('keeps a key named __proto__ as plain data', () => {
    const data = JSON.parse('{"__proto__": {"polluted": "yes"}, "household": {"size": "3"}}') as Record<
      string,
      unknown
    >;
    const { record } = redact(bold, { ...householdSubmission(), data }, catalogue);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(record.data)).toBe(Object.prototype);
  });
});

describe('redactorFor: one actor, one project, many records', () => {
  // Field worker in khoroo 1 and analyst over the whole project: her own khoroo in full, the rest
  // as an analyst sees it.
  const both: PolicyActor = {
    userId: 'bold',
    role: 'fieldworker',
    memberships: [...bold.memberships, ...tsetseg.memberships],
  };
  const page = [
    householdEntity(),
    { ...householdEntity(), id: 'hh-2', areaPath: '/ub/bzd/bzd-02/', assigneeId: null },
    householdSubmission(),
    { ...householdSubmission(), id: 'sub-2', areaPath: '/ub/bzd/', createdBy: 'oyuna', assigneeId: null },
  ];

  it('gives each record what redact gives it, values and marks', () => {
    const redactor = redactorFor(both, SP, catalogue);
    for (const record of page) expect(redactor(record)).toEqual(redact(both, record, catalogue));
    // The page is mixed: her khoroo's household in full, the other khoroo's without the head's name.
    expect(redactor(page[0] as PolicyRecord).record.properties?.['head_name']).toBe('Бат-Эрдэнэ Дорж');
    expect(redactor(page[1] as PolicyRecord).record.properties).not.toHaveProperty('head_name');
  });

  it('refuses a record of another project and one the actor may not read', () => {
    const redactor = redactorFor(bold, SP, catalogue);
    expect(() => redactor({ ...householdEntity(), projectId: PNG })).toThrow();
    expect(() => redactor({ ...householdEntity(), areaPath: '/ub/bzd/bzd-02/', assigneeId: null })).toThrow();
  });
});

describe('redact properties', () => {
  // Every value of a class the persona must not see is a canary; after redaction no canary may be
  // left anywhere in the serialized output, in any nesting, including the marks.
  const personas = [
    { actor: tsetseg, hidden: ['identifying'] },
    { actor: donor, hidden: ['identifying', 'sensitive', 'location'] },
    { actor: donorWithSoums, hidden: ['identifying', 'sensitive', 'location'] },
  ];
  const classOf: Record<string, string> = {
    head_name: 'identifying',
    register_no: 'identifying',
    income: 'sensitive',
    size: 'normal',
    location: 'location',
    address_detail: 'location',
    name: 'identifying',
    age: 'normal',
    disability: 'sensitive',
  };
  const canary = (n: number): string => `CANARY${n}`;
  // Locations are always precise points (none of these personas may see them exactly); other
  // classes are canaries when hidden. Unknown fields count as hidden (they are, for these roles).
  const value = (cls: string, hidden: readonly string[], n: number): string => {
    if (cls === 'location') return `${40 + (n % 10)}.123456 ${100 + (n % 7)}.654321 ${n} 3`;
    return hidden.includes(cls) || cls === 'unknown' ? canary(n) : `ok${n}`;
  };

  it('leaves no value of a hidden class anywhere in the output', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...personas),
        fc.nat({ max: 5 }),
        fc.array(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 3 }),
        fc.nat(),
        (persona, members, strays, seed) => {
          let n = seed;
          const v = (cls: string): string => value(cls, persona.hidden, n++);
          const household: Record<string, unknown> = {};
          for (const key of ['head_name', 'register_no', 'income', 'size', 'location', 'address_detail'])
            household[key] = v(classOf[key]!);
          for (const stray of strays) household[`x_${stray}`] = v('unknown');
          const data = {
            household,
            members: Array.from({ length: members }, () => ({
              name: v('identifying'),
              age: v('normal'),
              disability: v('sensitive'),
              [`x_${strays[0] ?? 'z'}`]: { deep: v('unknown') },
            })),
            meta: { instanceName: v('identifying') },
          };
          const properties: Record<string, unknown> = {};
          for (const [key, prop] of [
            ['head_name', 'head_name'],
            ['income', 'income'],
            ['geometry', 'location'],
            ['address_detail', 'address_detail'],
          ] as const) {
            properties[key] = v(classOf[prop]!);
          }
          const record: PolicyRecord = { ...householdEntity(), label: v('identifying'), properties, data };
          const out = JSON.stringify(redact(persona.actor, record, catalogue));
          expect(out).not.toContain('CANARY');
          expect(out).not.toMatch(/\.123456|\.654321/);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('is idempotent: redacting the redacted record changes nothing more', () => {
    for (const actor of [tsetseg, donor, donorWithSoums]) {
      const once = redact(actor, householdSubmission(), catalogue).record;
      const twice = redact(
        actor,
        { ...householdSubmission(), ...once, areaPath: householdSubmission().areaPath },
        catalogue,
      ).record;
      expect(twice.data).toEqual(once.data);
    }
  });
});
