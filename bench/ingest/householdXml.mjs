// A Mongolia household registration as a device saves it (the same shape as the server tests'
// `householdInstance`), varied by `n` so instances differ in names, khoroo and answers.
import { createHash } from 'node:crypto';

export const KHOROOS = ['MN111051', 'MN111052', 'MN111053', 'MN111054'];
/**
 * Bayanzürkh's 43 khoroos as the household form's choices list them (odd codes 51–99, even 52–86),
 * KHOROOS first: the load benchmark's `--areas K` spreads its devices over the first K.
 */
export const BAYANZURKH_KHOROOS = [
  ...KHOROOS,
  ...Array.from({ length: 25 }, (_, i) => `MN1110${51 + 2 * i}`),
  ...Array.from({ length: 18 }, (_, i) => `MN1110${52 + 2 * i}`),
].filter((code, i, all) => all.indexOf(code) === i);
const GIVEN = ['Болд', 'Сарнай', 'Ганбат', 'Оюунаа', 'Тэмүүлэн', 'Нарангэрэл', 'Энхжин', 'Батбаяр'];
const FAMILY = ['Боржигин', 'Тайчууд', 'Хиад', 'Сартуул', 'Урианхай', 'Жалайр', 'Олхонуд'];

/** A version-4-shaped UUID derived from `seed`, so a re-run stores the same ids. */
export function uuidOf(seed) {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The answers that vary with `n`. */
function answers(n) {
  return {
    given: GIVEN[n % GIVEN.length],
    family: FAMILY[n % FAMILY.length],
    bag: KHOROOS[n % KHOROOS.length],
    register: `УК850327${(n % 5) * 2 + 1}${n % 10}`,
    income: String((n % 40) * 25_000),
  };
}

/** `bag`: the khoroo the registration names (by default one of KHOROOS, varied with `n`). */
export function householdXml({ instanceId, entityId, version, n, bag: khoroo }) {
  const { given, family, bag: varied, register, income } = answers(n);
  const bag = khoroo ?? varied;
  return `<data xmlns:jr="http://openrosa.org/javarosa" id="mn_household_registration" version="${version}">
  <start>2026-03-01T09:00:00.000+08:00</start><end>2026-03-01T09:20:00.000+08:00</end><today>2026-03-01</today><username>bolor</username>
  <consent>yes</consent>
  <head><head_family_name>${family}</head_family_name><head_fathers_name>Батын</head_fathers_name><head_given_name>${given}</head_given_name>
    <head_register_number>${register}</head_register_number><head_dob>1985-03-27</head_dob><head_age>40</head_age><head_age_note/>
    <head_sex>male</head_sex><head_phone>99112233</head_phone></head>
  <address><aimag>MN11</aimag><soum>MN1110</soum><bag>${bag}</bag><address_detail>12-р байр</address_detail><dwelling_type/><location/></address>
  <household_size>1</household_size><children_count>0</children_count><elderly_count>0</elderly_count>
  <situation><vulnerability/><needs>food</needs><monthly_income>${income}</monthly_income><notes/></situation>
  <registration_date>2026-03-01</registration_date><case_status>open</case_status>
  <meta><instanceID>${instanceId}</instanceID><instanceName>Б. ${given}</instanceName>
    <entity dataset="cases" id="${entityId}" create="1"><label>Б. ${given}</label></entity></meta>
</data>`;
}

/**
 * The case `householdXml(… n)` registers, as the server stores it: its label, the properties the
 * form saves to it (checked against a pushed registration) and its khoroo's code (its area).
 */
export function householdCase(n) {
  const { given, family, bag, register, income } = answers(n);
  return {
    label: `Б. ${given}`,
    bag,
    properties: {
      head_family_name: family,
      head_fathers_name: 'Батын',
      head_given_name: given,
      head_register_number: register,
      head_dob: '1985-03-27',
      head_sex: 'male',
      head_phone: '99112233',
      aimag: 'MN11',
      soum: 'MN1110',
      bag,
      address_detail: '12-р байр',
      dwelling_type: '',
      geometry: '',
      household_size: '1',
      children_count: '0',
      elderly_count: '0',
      vulnerability: '',
      needs: 'food',
      monthly_income: income,
      registration_date: '2026-03-01',
      case_status: 'open',
    },
  };
}
