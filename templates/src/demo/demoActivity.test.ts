import { describe, expect, it } from 'vitest';
import { templates } from '../index.js';
import { householdRegistration } from '../mongolia-social-protection/forms.js';
import { instanceXml } from './instanceXml.js';

const now = Date.UTC(2026, 11, 7, 12);
const DAY = 86_400_000;

describe('the demo activity', () => {
  for (const [name, template] of Object.entries(templates)) {
    it(`${name}: creates every record by a submission, uses every form, stays in the months before now`, () => {
      const demo = template.generateDemo({ seed: 11, cases: 60 });
      const activity = template.demoActivity(demo, { seed: 11, now });
      const submissions = activity.events.flatMap((e) => (e.kind === 'submission' ? [e] : []));
      const created = new Set(submissions.flatMap((s) => (s.entity?.create === true ? [s.entity.id] : [])));
      expect(created).toEqual(new Set(demo.entities.map((e) => e.id)));
      expect(new Set(submissions.map((s) => s.formId))).toEqual(new Set(template.forms.map((f) => f.formId)));
      const times = activity.events.map((e) => Date.parse(e.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(Math.max(...times)).toBeLessThan(now);
      expect(Math.min(...times)).toBeGreaterThan(now - 230 * DAY);
      expect(new Set(activity.events.map((e) => e.at.slice(0, 7))).size).toBeGreaterThanOrEqual(6);
      // Every update comes after the create of its case.
      const seen = new Set<string>();
      for (const s of submissions) {
        if (s.entity === null) continue;
        if (!s.entity.create) expect(seen.has(s.entity.id), `${s.formId} before its case`).toBe(true);
        seen.add(s.entity.id);
      }
      // Every category a case carries is defined, with a name.
      const codes = new Set(activity.categories.map((c) => c.code));
      for (const e of demo.entities) for (const c of e.categories) expect(codes.has(c), c).toBe(true);
      expect(template.demoActivity(demo, { seed: 11, now })).toEqual(activity);
    });
  }
});

describe('instanceXml', () => {
  it('nests answers in their groups and writes the entity block', () => {
    const xml = instanceXml(
      householdRegistration,
      { consent: 'yes', head_given_name: 'Болд & Co', bag: 'MN111051', case_status: 'open' },
      {
        instanceId: 'uuid:1',
        entity: { dataset: 'cases', id: '0b0c0d0e-0000-4000-8000-000000000001', create: true, label: 'Б. Болд' },
      },
    );
    expect(xml).toContain(`id="mn_household_registration" version="${householdRegistration.version}"`);
    expect(xml).toContain('<consent>yes</consent><head><head_given_name>Болд &amp; Co</head_given_name></head>');
    expect(xml).toContain('<address><bag>MN111051</bag></address>');
    expect(xml).not.toContain('<members>');
    expect(xml).toContain(
      '<meta><instanceID>uuid:1</instanceID><entity dataset="cases" id="0b0c0d0e-0000-4000-8000-000000000001" create="1"><label>Б. Болд</label></entity></meta>',
    );
  });
});
