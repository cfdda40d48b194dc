import type { DemoData, DemoEntity, DemoOptions } from '../demo/demoData.js';
import type { SeededRandom } from '../demo/seededRandom.js';
import { DAY_MS, daysBefore, isoDate, isoTime, seededRandom } from '../demo/seededRandom.js';
import { areaListVersion, areas } from './areas.js';
import { clanNames, fathersNames, femaleGivenNames, maleGivenNames } from './names.js';
import type { Sex } from './registerNumber.js';
import { formatRegisterNumber } from './registerNumber.js';
import type { MemberPlan } from './members.js';
import { householdCounts, memberRows, registerLetters } from './members.js';

const BAYANZURKH = 'MN1110';
const MOBILE_PREFIXES = ['88', '89', '86', '85', '80', '99', '95', '94', '91', '96', '90', '93', '98'];

/** Rough box around Bayanzürkh's residential and ger areas, east of central Ulaanbaatar (also the demo basemap's extent). */
export const BOX = { south: 47.895, north: 47.965, west: 106.94, east: 107.12 };

interface Household {
  headAge: number;
  headSex: Sex;
  memberAges: number[];
  dwelling: string;
}

function birthDate(random: SeededRandom, age: number): string {
  const ms = Date.UTC(2026, 9, 31) - (age * 365.25 + random.int(1, 364)) * DAY_MS;
  return isoDate(ms);
}

function vulnerabilitiesOf(random: SeededRandom, h: Household, femaleHeadNoSpouse: boolean): string[] {
  const children = h.memberAges.filter((a) => a < 18).length;
  const elderly = [h.headAge, ...h.memberAges].some((a) => a >= 60);
  const out = new Set<string>();
  if (elderly && random.chance(0.8)) out.add('elderly');
  if (femaleHeadNoSpouse && children > 0 && random.chance(0.7)) out.add('single_parent');
  if (h.headSex === 'female' && children >= 4) out.add('many_children');
  if (random.chance(0.3)) out.add('poor_household');
  if (random.chance(0.12)) out.add('disability');
  if (children > 0 && random.chance(0.08)) out.add('child_at_risk');
  if (children > 0 && random.chance(0.03)) out.add('child_disability');
  if (children > 1 && random.chance(0.01)) out.add('twins_triplets');
  if (children > 0 && random.chance(0.02)) out.add('lost_breadwinner');
  if (random.chance(0.02)) out.add('orphan');
  if (random.chance(0.04)) out.add('domestic_violence');
  if (h.headAge < 60 && random.chance(0.25)) out.add('informal_worker');
  if (h.headAge < 60 && random.chance(0.15)) out.add('unemployed');
  if (random.chance(0.03)) out.add('herder_livestock_loss');
  if (random.chance(0.03)) out.add('emergency_affected');
  if (random.chance(0.05)) out.add('caregiver');
  if (random.chance(0.04)) out.add('permanent_care');
  if (random.chance(0.01)) out.add('homeless');
  if (out.size === 0) out.add('poor_household');
  return [...out];
}

function needsOf(random: SeededRandom, vulnerability: string[], h: Household): string[] {
  const has = (v: string): boolean => vulnerability.includes(v);
  const out = new Set<string>();
  if (h.dwelling === 'ger' && random.chance(0.6)) out.add('heating_winter');
  if (h.dwelling === 'ger' && random.chance(0.2)) out.add('water_sanitation');
  if (has('poor_household') ? random.chance(0.7) : random.chance(0.3)) out.add('food');
  if (random.chance(0.45)) out.add('cash');
  if ((has('unemployed') || has('informal_worker')) && random.chance(0.7)) out.add('employment');
  if ((has('elderly') || has('disability') || has('permanent_care')) && random.chance(0.6)) out.add('health');
  if (has('disability') || has('child_disability')) out.add('disability_support');
  if (has('elderly') && random.chance(0.35)) out.add('elderly_care');
  if (h.memberAges.some((a) => a >= 6 && a < 18) && random.chance(0.25)) out.add('education');
  if (has('single_parent') && random.chance(0.35)) out.add('child_care');
  if (has('domestic_violence')) {
    out.add('protection');
    out.add('psychosocial');
  }
  if (has('child_at_risk') && random.chance(0.5)) out.add('psychosocial');
  if (has('homeless') || has('emergency_affected')) out.add('shelter');
  if (random.chance(0.05)) out.add('legal_documents');
  if (out.size === 0) out.add('cash');
  return [...out];
}

function household(random: SeededRandom, people: SeededRandom, index: number, khoroos: string[]): DemoEntity {
  const createdMs = daysBefore(random, 365);
  const headSex: Sex = random.chance(0.55) ? 'male' : 'female';
  const headAge = random.weighted<number>([
    [random.int(18, 29), 2],
    [random.int(30, 59), 5],
    [random.int(60, 89), 3],
  ]);
  const hasSpouse = headAge >= 22 && random.chance(headSex === 'male' ? 0.75 : 0.45);
  const plans: MemberPlan[] = [];
  if (hasSpouse) plans.push({ relationship: 'spouse', age: Math.max(18, headAge + random.int(-6, 6)) });
  const childCount =
    headAge < 55
      ? random.weighted([
          [0, 2],
          [1, 3],
          [2, 3],
          [3, 2],
          [4, 1],
          [5, 0.4],
        ] as const)
      : 0;
  for (let c = 0; c < childCount; c++)
    plans.push({ relationship: 'child', age: random.int(0, Math.min(17, headAge - 18)) });
  if (headAge < 45 && random.chance(0.15)) plans.push({ relationship: 'parent', age: random.int(62, 85) });
  if (headAge >= 60 && random.chance(0.3)) plans.push({ relationship: 'grandchild', age: random.int(5, 17) });
  const memberAges = plans.map((p) => p.age);
  const dwelling = random.weighted([
    ['ger', 45],
    ['house', 20],
    ['apartment', 33],
    ['other', 2],
  ] as const);
  const h: Household = { headAge, headSex, memberAges, dwelling };

  const dob = birthDate(random, headAge);
  const [fathersNominative, fathersGenitive] = random.pick(fathersNames);
  const given = random.pick(headSex === 'male' ? maleGivenNames : femaleGivenNames);
  const letters = registerLetters(random);
  const khoroo = random.pick(khoroos);
  const lat = BOX.south + random.next() * (BOX.north - BOX.south);
  const lon = BOX.west + random.next() * (BOX.east - BOX.west);
  const vulnerability = vulnerabilitiesOf(random, h, headSex === 'female' && !hasSpouse);
  const needs = needsOf(random, vulnerability, h);
  const income = vulnerability.includes('poor_household') ? random.int(0, 60) * 10_000 : random.int(20, 180) * 10_000;
  const status = random.weighted([
    ['open', 30],
    ['in_progress', 40],
    ['referred', 15],
    ['closed', 15],
  ] as const);
  const updatedMs =
    status === 'open' ? createdMs : createdMs + Math.floor(random.next() * (Date.UTC(2026, 9, 31) - createdMs));
  const address =
    dwelling === 'apartment'
      ? `${random.int(1, 120)}-р байр, ${random.int(1, 96)} тоот`
      : `${random.int(1, 40)}-р гудамж, ${random.int(1, 300)} тоот хашаа`;

  const properties: Record<string, string> = {
    head_fathers_name: fathersGenitive,
    head_given_name: given,
    head_register_number: formatRegisterNumber(letters, dob, headSex, random.int(0, 99)),
    head_dob: dob,
    head_sex: headSex,
    aimag: 'MN11',
    soum: BAYANZURKH,
    bag: khoroo,
    address_detail: address,
    dwelling_type: dwelling,
    geometry: `${lat.toFixed(6)} ${lon.toFixed(6)} ${random.int(1290, 1420)} ${random.int(3, 15)}`,
    vulnerability: vulnerability.join(' '),
    needs: needs.join(' '),
    monthly_income: String(income),
    registration_date: isoDate(createdMs),
    case_status: status,
  };
  if (random.chance(0.7)) properties['head_family_name'] = random.pick(clanNames);
  if (random.chance(0.9))
    properties['head_phone'] = random.pick(MOBILE_PREFIXES) + String(random.int(0, 999_999)).padStart(6, '0');
  // The members from a stream of their own: the households drawn before them stay as they were.
  const head = {
    sex: headSex,
    givenName: given,
    fathersNominative,
    familyName: properties['head_family_name'],
    vulnerability,
  };
  const members = memberRows(people, head, plans, isoDate(createdMs));
  Object.assign(
    properties,
    householdCounts(
      dob,
      members.map((m) => m['member_dob'] ?? ''),
      isoDate(createdMs),
    ),
  );

  return {
    list: 'cases',
    id: random.uuid(),
    label: `${fathersGenitive.slice(0, 1)}. ${given}`,
    properties,
    repeats: { members },
    areaCode: khoroo,
    status,
    categories: vulnerability,
    createdAt: isoTime(createdMs + index),
    updatedAt: isoTime(updatedMs + index),
  };
}

/** Households registered by the khoroo social workers of Bayanzürkh district over one year. */
export function generateDemo(options: DemoOptions): DemoData {
  const random = seededRandom(options.seed);
  const people = seededRandom(options.seed ^ 0x6d656d);
  const khoroos = areas.filter((a) => a.parentCode === BAYANZURKH).map((a) => a.code);
  const entities: DemoEntity[] = [];
  for (let i = 0; i < options.cases; i++) entities.push(household(random, people, i, khoroos));
  return {
    template: 'mongolia-social-protection',
    project: { slug: 'bayanzurkh', name: 'Bayanzürkh social protection' },
    areas,
    areaListVersion,
    entities,
  };
}
