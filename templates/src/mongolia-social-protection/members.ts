import type { Answers } from '../demo/instanceXml.js';
import type { SeededRandom } from '../demo/seededRandom.js';
import { DAY_MS, isoDate } from '../demo/seededRandom.js';
import { clanNames, fathersNames, femaleGivenNames, maleGivenNames } from './names.js';
import type { Sex } from './registerNumber.js';
import { formatRegisterNumber } from './registerNumber.js';

// The other members of a demo household: the rows of the registration's `members` repeat (name,
// register number, date of birth, sex, relationship to the head, disability), and the counts the
// form calculates from them.

const REGISTER_LETTERS = 'АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЭЮЯӨҮ';

/** The two letters of a register number: mostly Ulaanbaatar's, now and then another place's. */
export function registerLetters(random: SeededRandom): string {
  return (
    random.weighted([
      ['У', 5],
      ['Ч', 3],
      [random.pick([...REGISTER_LETTERS]), 2],
    ] as const) + random.pick([...REGISTER_LETTERS])
  );
}

/** A member as the household is drawn: how they are related to the head and their age when registered. */
export interface MemberPlan {
  relationship: 'spouse' | 'child' | 'parent' | 'grandchild';
  age: number;
}

export interface HouseholdHead {
  sex: Sex;
  givenName: string;
  /** The head's father's (or mother's) name in the nominative: the given name of a parent who lives with them. */
  fathersNominative: string;
  familyName: string | undefined;
  /** Vulnerability categories: a household with a disability has a member with one. */
  vulnerability: readonly string[];
}

/**
 * Whole years from `dob` to `day` (both YYYY-MM-DD) as the registration form calculates
 * `head_age` and `member_age`: int((decimal-date-time(today()) − decimal-date-time(dob)) div 365.25).
 */
export function ageOnDay(dob: string, day: string): number {
  return Math.floor((Date.parse(day) - Date.parse(dob)) / DAY_MS / 365.25);
}

/** A date of birth that makes someone `age` on `day`, as `ageOnDay` counts. */
function dobForAge(random: SeededRandom, age: number, day: string): string {
  return isoDate(Date.parse(day) - (age * 365.25 + random.int(1, 364)) * DAY_MS);
}

/** The household size and the children and elderly among everyone, as the form calculates them on `day`. */
export function householdCounts(
  headDob: string,
  memberDobs: readonly string[],
  day: string,
): { household_size: string; children_count: string; elderly_count: string } {
  const ages = [headDob, ...memberDobs].map((dob) => ageOnDay(dob, day));
  return {
    household_size: String(memberDobs.length + 1),
    children_count: String(ages.filter((a) => a < 18).length),
    elderly_count: String(ages.filter((a) => a >= 60).length),
  };
}

/** The genitive of a given name when the name list has it (names are listed, not derived). */
function genitiveOf(given: string): string | undefined {
  return fathersNames.find(([nominative]) => nominative === given)?.[1];
}

/**
 * The rows of the registration's `members` repeat for the planned members, each aged as planned on
 * `day` (the day the household was drawn): names from the same lists as the head's, the head's
 * clan name for blood relatives, a register number that agrees with the date of birth and sex.
 * The member's age and the household's counts are left to the day the form is filled
 * (`registrationAnswers`).
 */
export function memberRows(
  random: SeededRandom,
  head: HouseholdHead,
  plans: readonly MemberPlan[],
  day: string,
): Array<Record<string, string>> {
  const used = new Set([head.givenName]);
  const givenName = (sex: Sex): string => {
    const names = (sex === 'male' ? maleGivenNames : femaleGivenNames).filter((n) => !used.has(n));
    const name = random.pick(names.length > 0 ? names : sex === 'male' ? maleGivenNames : femaleGivenNames);
    used.add(name);
    return name;
  };
  const anyFathersName = (): string => random.pick(fathersNames)[1];
  // A male spouse's given name comes from the list of fathers' names, so the children's father's
  // name can be his; a male head's, when the list has his name.
  const spouse = plans.find((p) => p.relationship === 'spouse');
  let childrensFather = head.sex === 'male' ? genitiveOf(head.givenName) : undefined;
  const spouseName = spouse === undefined ? undefined : head.sex === 'female' ? random.pick(fathersNames) : undefined;
  if (spouseName !== undefined) childrensFather = spouseName[1];
  childrensFather ??= anyFathersName();

  const disabled = pickDisabled(random, head, plans);
  return plans.map((plan, index) => {
    const sex: Sex =
      plan.relationship === 'spouse'
        ? head.sex === 'male'
          ? 'female'
          : 'male'
        : random.chance(plan.relationship === 'parent' ? 0.4 : 0.5)
          ? 'male'
          : 'female';
    let given: string;
    let fathers: string;
    if (plan.relationship === 'spouse' && spouseName !== undefined) {
      given = spouseName[0];
      used.add(given);
      fathers = anyFathersName();
    } else if (plan.relationship === 'parent' && sex === 'male' && !used.has(head.fathersNominative)) {
      given = head.fathersNominative;
      used.add(given);
      fathers = anyFathersName();
    } else {
      given = givenName(sex);
      fathers = plan.relationship === 'child' ? childrensFather : anyFathersName();
    }
    const dob = dobForAge(random, plan.age, day);
    const row: Record<string, string> = {
      member_fathers_name: fathers,
      member_given_name: given,
      member_register_number: formatRegisterNumber(registerLetters(random), dob, sex, random.int(0, 99)),
      member_dob: dob,
      member_sex: sex,
      member_relationship: plan.relationship,
      member_disability: disabled === index ? 'yes' : 'no',
    };
    const clan =
      plan.relationship === 'spouse' ? (random.chance(0.7) ? random.pick(clanNames) : undefined) : head.familyName;
    if (clan !== undefined) row['member_family_name'] = clan;
    return row;
  });
}

/** The member with a disability in a household that has one (a child for a child's disability), if any. */
function pickDisabled(random: SeededRandom, head: HouseholdHead, plans: readonly MemberPlan[]): number | undefined {
  const indexes = (test: (p: MemberPlan) => boolean) => plans.flatMap((p, i) => (test(p) ? [i] : []));
  const children = indexes((p) => p.age < 18);
  if (head.vulnerability.includes('child_disability') && children.length > 0) return random.pick(children);
  // Half the time the head is the one with the disability.
  const others = indexes(() => true);
  if (head.vulnerability.includes('disability') && others.length > 0 && random.chance(0.5)) return random.pick(others);
  return undefined;
}

/**
 * What the registration sends about the people on the day it is filled (`day`): the member rows
 * with their ages, the head's age, and the counts the form calculates from them.
 */
export function registrationAnswers(
  headDob: string,
  rows: ReadonlyArray<Record<string, string>>,
  day: string,
): Answers {
  const members = rows.map((row) => ({ ...row, member_age: String(ageOnDay(row['member_dob'] ?? '', day)) }));
  return {
    head_age: String(ageOnDay(headDob, day)),
    ...(members.length === 0 ? {} : { members }),
    ...householdCounts(
      headDob,
      rows.map((r) => r['member_dob'] ?? ''),
      day,
    ),
  };
}
