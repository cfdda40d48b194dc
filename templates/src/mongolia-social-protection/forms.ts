import type { ChoiceList, FormDefinition, FormLanguage, SurveyRow } from '../xlsform/formDefinition.js';
import { areas } from './areas.js';
import {
  agencies,
  caseStatuses,
  closureReasons,
  dwellingTypes,
  label,
  needs,
  relationships,
  riskLevels,
  sexes,
  visitTypes,
  vulnerabilities,
  yesNo,
} from './choices.js';
import { prefillFromEntity } from '../xlsform/prefill.js';

const languages: FormLanguage[] = [
  { code: 'mn', name: 'Mongolian' },
  { code: 'en', name: 'English' },
];
const VERSION = '2026120702';
const dir = 'mongolia-social-protection/forms';

/**
 * Two Cyrillic letters, YY, MM (01–12, or 21–32 for births from 2000), DD, two more digits
 * (domain.md §2.5). The date and sex cross-checks sit on the date-of-birth and sex questions.
 */
export const REGISTER_NUMBER_PATTERN =
  '^[А-ЯЁӨҮа-яёөү]{2}[0-9]{2}(0[1-9]|1[0-2]|2[1-9]|3[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{2}$';

/** Mongolian mobile numbers: 8 digits starting 8 or 9, optionally with +976 (domain.md §2.6). */
export const MOBILE_PATTERN = '^(\\+976)?[89][0-9]{7}$';

const meta: SurveyRow[] = [
  { type: 'start', name: 'start' },
  { type: 'end', name: 'end' },
  { type: 'today', name: 'today' },
  { type: 'username', name: 'username' },
];

/** Name, register number, birth date, age and sex of one person; `p` prefixes the field names. */
function personRows(p: 'head' | 'member'): SurveyRow[] {
  const rd = `\${${p}_register_number}`;
  const saved = p === 'head';
  const saveTo = (name: string): { saveTo?: string } => (saved ? { saveTo: name } : {});
  return [
    {
      type: 'text',
      name: `${p}_family_name`,
      label: label('Ургийн овог', 'Family (clan) name'),
      hint: label('Жишээ нь: Боржигин', 'For example: Borjigin'),
      sensitivity: 'identifying',
      ...saveTo(`${p}_family_name`),
    },
    {
      type: 'text',
      name: `${p}_fathers_name`,
      label: label('Эцэг (эх)-ийн нэр', "Father's (or mother's) name"),
      hint: label('Иргэний үнэмлэхэд бичигдсэнээр, жишээ нь: Батын', 'As on the ID card, for example: Batyn'),
      required: true,
      sensitivity: 'identifying',
      ...saveTo(`${p}_fathers_name`),
    },
    {
      type: 'text',
      name: `${p}_given_name`,
      label: label('Нэр', 'Given name'),
      required: true,
      sensitivity: 'identifying',
      ...saveTo(`${p}_given_name`),
    },
    {
      type: 'text',
      name: `${p}_register_number`,
      label: label('Регистрийн дугаар', 'Civil register number'),
      hint: label('2 үсэг, 8 тоо, жишээ нь: УК03271614', '2 letters and 8 digits, for example: УК03271614'),
      constraint: `regex(., '${REGISTER_NUMBER_PATTERN}')`,
      constraintMessage: label(
        '2 кирилл үсэг, 8 тоо. 1–6 дахь тоо нь төрсөн он, сар, өдөр (ОО СС ӨӨ); 2000 оноос хойш төрсөн бол сар дээр 20 нэмнэ.',
        'Two Cyrillic letters and eight digits. Digits 1–6 are the birth date YYMMDD; for births from 2000 the month is written plus 20.',
      ),
      sensitivity: 'identifying',
      ...saveTo(`${p}_register_number`),
    },
    {
      type: 'date',
      name: `${p}_dob`,
      label: label('Төрсөн он, сар, өдөр', 'Date of birth'),
      required: true,
      constraint:
        `. <= today() and (${rd} = '' or substr(${rd}, 2, 8) = concat(format-date(., '%y'), ` +
        `if(format-date(., '%Y') >= 2000, string(format-date(., '%n') + 20), format-date(., '%m')), format-date(., '%d')))`,
      constraintMessage: label(
        'Төрсөн огноо ирээдүйд байж болохгүй бөгөөд регистрийн дугаартай таарах ёстой.',
        'The date of birth cannot be in the future and must match the register number.',
      ),
      sensitivity: 'identifying',
      ...saveTo(`${p}_dob`),
    },
    {
      type: 'calculate',
      name: `${p}_age`,
      calculation: `if(\${${p}_dob} = '', '', int((decimal-date-time(today()) - decimal-date-time(\${${p}_dob})) div 365.25))`,
    },
    {
      type: 'note',
      name: `${p}_age_note`,
      label: label(`Нас: \${${p}_age}`, `Age: \${${p}_age}`),
      relevant: `\${${p}_dob} != ''`,
    },
    {
      type: 'select_one sex',
      name: `${p}_sex`,
      label: label('Хүйс', 'Sex'),
      required: true,
      constraint:
        `${rd} = '' or (. = 'male' and substr(${rd}, 8, 9) mod 2 = 1) or ` +
        `(. = 'female' and substr(${rd}, 8, 9) mod 2 = 0)`,
      constraintMessage: label(
        'Регистрийн дугаарын 9 дэх тэмдэгт сондгой бол эр, тэгш бол эм.',
        'The 9th character of the register number is odd for men and even for women.',
      ),
      ...saveTo(`${p}_sex`),
    },
  ];
}

const caseIdRow: SurveyRow = {
  type: 'select_one_from_file cases.csv',
  name: 'case_id',
  label: label('Кейс (өрх)', 'Case (household)'),
  required: true,
  appearance: 'search',
};

function areaChoices(): ChoiceList[] {
  const aimag = areas.filter((a) => a.parentCode === null);
  const second = areas.filter((a) => a.level === 'district' || a.level === 'soum');
  const third = areas.filter((a) => a.level === 'khoroo' || a.level === 'bag');
  const toChoice = (a: (typeof areas)[number], filter?: string) => ({
    name: a.code,
    label: { mn: a.name.mn ?? a.code, en: a.name.en ?? a.code },
    ...(filter === undefined ? {} : { columns: { [filter]: a.parentCode ?? '' } }),
  });
  return [
    { listName: 'aimag', choices: aimag.map((a) => toChoice(a)) },
    { listName: 'soum', choices: second.map((a) => toChoice(a, 'aimag')) },
    { listName: 'bag', choices: third.map((a) => toChoice(a, 'soum')) },
  ];
}

export const householdRegistration: FormDefinition = {
  file: `${dir}/household_registration.xlsx`,
  formId: 'mn_household_registration',
  title: label('Өрхийн бүртгэл', 'Household registration'),
  version: VERSION,
  languages,
  defaultLanguage: 'mn',
  instanceName: "concat(substr(${head_fathers_name}, 0, 1), '. ', ${head_given_name})",
  survey: [
    ...meta,
    {
      type: 'select_one yes_no',
      name: 'consent',
      label: label(
        'Өрхийн тэргүүн мэдээллээ бүртгүүлэх, шаардлагатай байгууллагад дамжуулахыг зөвшөөрсөн үү?',
        'Has the head of household agreed to be registered and to the sharing of data with the services that need it?',
      ),
      required: true,
    },
    {
      type: 'begin_group',
      name: 'head',
      label: label('Өрхийн тэргүүн', 'Head of household'),
      relevant: "${consent} = 'yes'",
    },
    ...personRows('head'),
    {
      type: 'text',
      name: 'head_phone',
      label: label('Утасны дугаар', 'Phone number'),
      hint: label('8 оронтой гар утасны дугаар', '8-digit mobile number'),
      appearance: 'numbers',
      constraint: `regex(., '${MOBILE_PATTERN}')`,
      constraintMessage: label(
        'Гар утасны дугаар 8 оронтой, 8 эсвэл 9-өөр эхэлнэ (+976 байж болно).',
        'A mobile number has 8 digits starting with 8 or 9, optionally after +976.',
      ),
      sensitivity: 'identifying',
      saveTo: 'head_phone',
    },
    { type: 'end_group' },
    {
      type: 'begin_group',
      name: 'address',
      label: label('Хаяг', 'Address'),
      relevant: "${consent} = 'yes'",
    },
    {
      type: 'select_one aimag',
      name: 'aimag',
      label: label('Аймаг, нийслэл', 'Aimag or capital'),
      required: true,
      default: 'MN11',
      saveTo: 'aimag',
    },
    {
      type: 'select_one soum',
      name: 'soum',
      label: label('Сум, дүүрэг', 'Soum or district'),
      required: true,
      choiceFilter: 'aimag=${aimag}',
      saveTo: 'soum',
    },
    {
      type: 'select_one bag',
      name: 'bag',
      label: label('Баг, хороо', 'Bag or khoroo'),
      required: true,
      choiceFilter: 'soum=${soum}',
      sensitivity: 'location',
      saveTo: 'bag',
    },
    {
      type: 'text',
      name: 'address_detail',
      label: label('Гудамж, байр, хашаа, тоот', 'Street, building, fence (khashaa) and door number'),
      sensitivity: 'location',
      saveTo: 'address_detail',
    },
    {
      type: 'select_one dwelling_type',
      name: 'dwelling_type',
      label: label('Орон сууцны төрөл', 'Type of dwelling'),
      saveTo: 'dwelling_type',
    },
    {
      type: 'geopoint',
      name: 'location',
      label: label('Байршил (GPS)', 'Location (GPS)'),
      hint: label('Өрхийн гадаа зогсож байршлаа тогтооно уу.', 'Stand outside the dwelling to capture the location.'),
      sensitivity: 'location',
      saveTo: 'geometry',
    },
    { type: 'end_group' },
    {
      type: 'begin_repeat',
      name: 'members',
      label: label('Өрхийн бусад гишүүд', 'Other household members'),
      relevant: "${consent} = 'yes'",
    },
    ...personRows('member'),
    {
      type: 'select_one relationship',
      name: 'member_relationship',
      label: label('Өрхийн тэргүүнтэй ямар холбоотой вэ?', 'Relationship to the head of household'),
      required: true,
    },
    {
      type: 'select_one yes_no',
      name: 'member_disability',
      label: label('Хөгжлийн бэрхшээлтэй эсэх', 'Has a disability'),
      sensitivity: 'sensitive',
    },
    { type: 'end_repeat' },
    {
      type: 'calculate',
      name: 'household_size',
      calculation: 'count(${member_given_name}) + 1',
      saveTo: 'household_size',
    },
    {
      type: 'calculate',
      name: 'children_count',
      calculation: 'count(${member_age}[. < 18]) + if(${head_age} < 18, 1, 0)',
      saveTo: 'children_count',
    },
    {
      type: 'calculate',
      name: 'elderly_count',
      calculation: 'count(${member_age}[. >= 60]) + if(${head_age} >= 60, 1, 0)',
      saveTo: 'elderly_count',
    },
    {
      type: 'begin_group',
      name: 'situation',
      label: label('Өрхийн нөхцөл байдал', 'Household situation'),
      relevant: "${consent} = 'yes'",
    },
    {
      type: 'select_multiple vulnerability',
      name: 'vulnerability',
      label: label('Эмзэг бүлэг', 'Vulnerability categories'),
      sensitivity: 'sensitive',
      saveTo: 'vulnerability',
    },
    {
      type: 'select_multiple need',
      name: 'needs',
      label: label('Хэрэгцээ', 'Needs'),
      sensitivity: 'sensitive',
      saveTo: 'needs',
    },
    {
      type: 'integer',
      name: 'monthly_income',
      label: label('Өрхийн сарын орлого (₮)', 'Monthly household income (MNT)'),
      constraint: '. >= 0',
      sensitivity: 'sensitive',
      saveTo: 'monthly_income',
    },
    {
      type: 'text',
      name: 'notes',
      label: label('Тэмдэглэл', 'Notes'),
      appearance: 'multiline',
      sensitivity: 'sensitive',
    },
    { type: 'end_group' },
    { type: 'calculate', name: 'registration_date', calculation: 'today()', saveTo: 'registration_date' },
    { type: 'calculate', name: 'case_status', calculation: "'open'", saveTo: 'case_status' },
  ],
  choices: [
    { listName: 'yes_no', choices: yesNo },
    { listName: 'sex', choices: sexes },
    ...areaChoices(),
    { listName: 'dwelling_type', choices: dwellingTypes },
    { listName: 'relationship', choices: relationships },
    { listName: 'vulnerability', choices: vulnerabilities },
    { listName: 'need', choices: needs },
  ],
  entities: {
    listName: 'cases',
    label: "concat(substr(${head_fathers_name}, 0, 1), '. ', ${head_given_name})",
    createIf: "${consent} = 'yes'",
  },
};

export const assessment: FormDefinition = {
  file: `${dir}/assessment.xlsx`,
  formId: 'mn_assessment',
  title: label('Нөхцөл байдлын үнэлгээ', 'Situation and risk assessment'),
  version: VERSION,
  languages,
  defaultLanguage: 'mn',
  survey: prefillFromEntity(
    'cases',
    'case_id',
    [
      ...meta,
      caseIdRow,
      {
        type: 'date',
        name: 'assessment_date',
        label: label('Үнэлгээ хийсэн огноо', 'Date of assessment'),
        required: true,
        default: 'today()',
        constraint: '. <= today()',
        saveTo: 'last_assessment_date',
      },
      {
        type: 'select_one risk_level',
        name: 'risk_level',
        label: label('Эрсдэлийн түвшин', 'Risk level'),
        required: true,
        sensitivity: 'sensitive',
        saveTo: 'risk_level',
      },
      {
        type: 'select_one yes_no',
        name: 'violence_concern',
        label: label('Хүчирхийллийн эрсдэл байгаа юу?', 'Is there a concern of violence?'),
        required: true,
        sensitivity: 'sensitive',
        saveTo: 'violence_concern',
      },
      {
        type: 'text',
        name: 'health_conditions',
        label: label('Эрүүл мэндийн байдал', 'Health conditions in the household'),
        appearance: 'multiline',
        sensitivity: 'sensitive',
      },
      {
        type: 'integer',
        name: 'monthly_income',
        label: label('Өрхийн сарын орлого (₮)', 'Monthly household income (MNT)'),
        constraint: '. >= 0',
        sensitivity: 'sensitive',
        saveTo: 'monthly_income',
      },
      {
        type: 'decimal',
        name: 'pmt_score',
        label: label('Өрхийн амьжиргааны түвшний оноо (PMT)', 'Proxy means test score'),
        constraint: '. >= 0 and . <= 100',
        constraintMessage: label('0-100 хооронд', 'Between 0 and 100'),
        sensitivity: 'sensitive',
        saveTo: 'pmt_score',
      },
      {
        type: 'select_multiple vulnerability',
        name: 'vulnerability',
        label: label('Эмзэг бүлэг', 'Vulnerability categories'),
        sensitivity: 'sensitive',
        saveTo: 'vulnerability',
      },
      {
        type: 'select_multiple need',
        name: 'needs',
        label: label('Хэрэгцээ', 'Needs'),
        sensitivity: 'sensitive',
        saveTo: 'needs',
      },
      {
        type: 'text',
        name: 'case_plan',
        label: label('Кейсийн төлөвлөгөө', 'Case plan'),
        appearance: 'multiline',
        sensitivity: 'sensitive',
        saveTo: 'case_plan',
      },
      {
        type: 'date',
        name: 'review_due_date',
        label: label('Дараагийн хяналтын огноо', 'Review due by'),
        required: true,
        constraint: '. >= ${assessment_date} and . <= date(decimal-date-time(${assessment_date}) + 92)',
        constraintMessage: label(
          'Кейсийг 3 сарын дотор дахин хянана.',
          'A case is reviewed at least every three months.',
        ),
        saveTo: 'review_due_date',
      },
      { type: 'calculate', name: 'case_status', calculation: "'in_progress'", saveTo: 'case_status' },
    ],
    ['review_due_date'],
  ),
  choices: [
    { listName: 'yes_no', choices: yesNo },
    { listName: 'risk_level', choices: riskLevels },
    { listName: 'vulnerability', choices: vulnerabilities },
    { listName: 'need', choices: needs },
  ],
  entities: { listName: 'cases', entityId: '${case_id}' },
};

export const visit: FormDefinition = {
  file: `${dir}/visit.xlsx`,
  formId: 'mn_visit',
  title: label('Айлчлал, хяналт', 'Visit and follow-up'),
  version: VERSION,
  languages,
  defaultLanguage: 'mn',
  survey: prefillFromEntity(
    'cases',
    'case_id',
    [
      ...meta,
      caseIdRow,
      {
        type: 'date',
        name: 'visit_date',
        label: label('Огноо', 'Date'),
        required: true,
        default: 'today()',
        constraint: '. <= today()',
        saveTo: 'last_visit_date',
      },
      { type: 'select_one visit_type', name: 'visit_type', label: label('Төрөл', 'Type of contact'), required: true },
      {
        type: 'select_one yes_no',
        name: 'contact_made',
        label: label('Өрхтэй уулзсан уу?', 'Did you meet the household?'),
        required: true,
      },
      {
        type: 'geopoint',
        name: 'visit_location',
        label: label('Байршил', 'Location'),
        relevant: "${visit_type} = 'home_visit'",
        sensitivity: 'location',
      },
      {
        type: 'text',
        name: 'observations',
        label: label('Ажиглалт, хийсэн ажил', 'Observations and actions taken'),
        appearance: 'multiline',
        sensitivity: 'sensitive',
      },
      {
        type: 'select_multiple need',
        name: 'needs',
        label: label('Одоогийн хэрэгцээ', 'Current needs'),
        sensitivity: 'sensitive',
        saveTo: 'needs',
      },
      {
        // The date the case had, kept in the instance: the server checks the constraint below
        // without the entity list, so it must find the old date in the submission itself.
        type: 'calculate',
        name: 'planned_next_visit',
        calculation: "instance('cases')/root/item[name=${case_id}]/next_visit_date",
        trigger: '${case_id}',
      },
      {
        type: 'date',
        name: 'next_visit_date',
        label: label('Дараагийн айлчлал', 'Next visit'),
        // The planned date the case already has may be kept as it is, even once it has passed.
        constraint: '. > ${visit_date} or . = ${planned_next_visit}',
        saveTo: 'next_visit_date',
      },
      {
        type: 'select_one case_status',
        name: 'case_status',
        label: label('Кейсийн төлөв', 'Case status'),
        required: true,
        default: 'in_progress',
        choiceFilter: "name != 'closed'",
        saveTo: 'case_status',
      },
    ],
    ['case_status'],
  ),
  choices: [
    { listName: 'yes_no', choices: yesNo },
    { listName: 'visit_type', choices: visitTypes },
    { listName: 'need', choices: needs },
    { listName: 'case_status', choices: caseStatuses },
  ],
  entities: { listName: 'cases', entityId: '${case_id}' },
};

export const referral: FormDefinition = {
  file: `${dir}/referral.xlsx`,
  formId: 'mn_referral',
  title: label('Холбон зуучлах', 'Referral'),
  version: VERSION,
  languages,
  defaultLanguage: 'mn',
  survey: prefillFromEntity('cases', 'case_id', [
    ...meta,
    caseIdRow,
    {
      type: 'date',
      name: 'referral_date',
      label: label('Огноо', 'Date'),
      required: true,
      default: 'today()',
      saveTo: 'last_referral_date',
    },
    {
      type: 'select_one agency',
      name: 'referred_to',
      label: label('Хаана холбон зуучилсан', 'Referred to'),
      required: true,
      saveTo: 'referred_to',
    },
    {
      type: 'select_multiple need',
      name: 'referral_needs',
      label: label('Ямар хэрэгцээний улмаас', 'For which needs'),
      required: true,
      sensitivity: 'sensitive',
    },
    {
      type: 'select_one yes_no',
      name: 'consent_to_share',
      label: label(
        'Үйлчлүүлэгч мэдээллээ тухайн байгууллагад өгөхийг зөвшөөрсөн үү?',
        'Has the client agreed to share their data with that service?',
      ),
      required: true,
      constraint: ". = 'yes'",
      constraintMessage: label('Зөвшөөрөлгүйгээр холбон зуучлахгүй.', 'No referral without consent.'),
    },
    {
      type: 'text',
      name: 'referral_notes',
      label: label('Тайлбар', 'Notes for the receiving service'),
      appearance: 'multiline',
      sensitivity: 'sensitive',
    },
    { type: 'calculate', name: 'case_status', calculation: "'referred'", saveTo: 'case_status' },
  ]),
  choices: [
    { listName: 'yes_no', choices: yesNo },
    { listName: 'agency', choices: agencies },
    { listName: 'need', choices: needs },
  ],
  entities: { listName: 'cases', entityId: '${case_id}' },
};

export const closure: FormDefinition = {
  file: `${dir}/closure.xlsx`,
  formId: 'mn_closure',
  title: label('Кейс хаах', 'Case closure'),
  version: VERSION,
  languages,
  defaultLanguage: 'mn',
  survey: prefillFromEntity('cases', 'case_id', [
    ...meta,
    caseIdRow,
    {
      type: 'date',
      name: 'closure_date',
      label: label('Хаасан огноо', 'Date of closure'),
      required: true,
      default: 'today()',
      saveTo: 'closure_date',
    },
    {
      type: 'select_one closure_reason',
      name: 'closure_reason',
      label: label('Шалтгаан', 'Reason'),
      required: true,
      saveTo: 'closure_reason',
    },
    {
      type: 'text',
      name: 'closure_reason_other',
      label: label('Бусад шалтгаан', 'Other reason'),
      required: true,
      relevant: "${closure_reason} = 'other'",
    },
    {
      type: 'select_one yes_no',
      name: 'supervisor_agreed',
      label: label('Ахлах ажилтан зөвшөөрсөн үү?', 'Has the supervisor agreed?'),
      required: true,
    },
    {
      type: 'text',
      name: 'closure_notes',
      label: label('Тэмдэглэл', 'Notes'),
      appearance: 'multiline',
      sensitivity: 'sensitive',
    },
    { type: 'calculate', name: 'case_status', calculation: "'closed'", saveTo: 'case_status' },
  ]),
  choices: [
    { listName: 'yes_no', choices: yesNo },
    { listName: 'closure_reason', choices: closureReasons },
  ],
  entities: { listName: 'cases', entityId: '${case_id}', updateIf: "${supervisor_agreed} = 'yes'" },
};

export const forms: FormDefinition[] = [householdRegistration, assessment, visit, referral, closure];
