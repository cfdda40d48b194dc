import type { Choice, ChoiceList, FormDefinition, FormLanguage, SurveyRow } from '../xlsform/formDefinition.js';
import { areas } from './areas.js';
import {
  actions,
  currencies,
  designations,
  evidenceTypes,
  harvesters,
  incidentStatuses,
  incidentTypes,
  label,
  methods,
  ownerships,
  permitStatuses,
  products,
  purposes,
  reporters,
  resourceTypes,
  severities,
  sexes,
  suspectStatuses,
  trends,
  units,
  vehicleTypes,
} from './choices.js';
import { species } from './species.js';
import { prefillFromEntity } from '../xlsform/prefill.js';

const languages: FormLanguage[] = [
  { code: 'en', name: 'English' },
  { code: 'tpi', name: 'Tok Pisin' },
];
const VERSION = '2026120702';
const dir = 'png-protected-areas/forms';

const meta: SurveyRow[] = [
  { type: 'start', name: 'start' },
  { type: 'end', name: 'end' },
  { type: 'username', name: 'username' },
];

const paRow: SurveyRow = {
  type: 'select_one_from_file protected_areas.csv',
  name: 'pa_id',
  label: label('Protected area', 'Eria ol i lukautim'),
  required: true,
  appearance: 'search',
};

const provinceChoices: ChoiceList = {
  listName: 'province',
  choices: areas
    .filter((a) => a.level === 'province')
    .map((a) => ({ name: a.code, label: { en: a.name.en ?? a.code, tpi: a.name.tpi ?? a.code } })),
};

/** The protected areas of the project's area list, by province: their codes place records. */
const protectedAreaChoices: ChoiceList = {
  listName: 'pa_code',
  choices: areas
    .filter((a) => a.level === 'protected_area')
    .map((a) => ({
      name: a.code,
      label: { en: a.name.en ?? a.code, tpi: a.name.tpi ?? a.code },
      columns: { province: a.parentCode ?? '' },
    })),
};

/**
 * The area code of the chosen protected area (`pa_code` of the protected_areas list), saved as
 * `protected_area`: the server places a record by the area codes in its properties, so a record
 * from the field lands in its protected area exactly as the seeded ones do.
 */
const protectedAreaCodeRow: SurveyRow = {
  type: 'calculate',
  name: 'protected_area',
  calculation: "instance('protected_areas')/root/item[name=${pa_id}]/pa_code",
  saveTo: 'protected_area',
};

const speciesChoices: ChoiceList = {
  listName: 'species',
  choices: [
    ...species.map((s): Choice => ({
      name: s.code,
      label: { en: `${s.en} (${s.scientificName})`, tpi: `${s.tpi} (${s.scientificName})` },
      columns: { scientific_name: s.scientificName, iucn_category: s.iucn, sensitive: s.sensitive ? 'yes' : 'no' },
    })),
    {
      name: 'other',
      label: label('Other species', 'Narapela'),
      columns: { scientific_name: '', iucn_category: '', sensitive: 'no' },
    },
  ],
};

export const protectedAreaRegistration: FormDefinition = {
  file: `${dir}/protected_area.xlsx`,
  formId: 'png_protected_area',
  title: label('Protected area profile', 'Profail bilong eria'),
  version: VERSION,
  languages,
  defaultLanguage: 'en',
  survey: [
    ...meta,
    {
      type: 'text',
      name: 'pa_name',
      label: label('Name of the protected area', 'Nem bilong eria'),
      required: true,
      saveTo: 'pa_name',
    },
    {
      type: 'select_one province',
      name: 'province',
      label: label('Province', 'Provins'),
      required: true,
      saveTo: 'province',
    },
    {
      type: 'select_one pa_code',
      name: 'pa_code',
      label: label('Protected area in the area list', 'Eria long lis bilong ol eria'),
      required: true,
      choiceFilter: 'province=${province}',
      saveTo: 'pa_code',
    },
    {
      type: 'select_one designation',
      name: 'designation',
      label: label('Designation', 'Kain eria'),
      required: true,
      saveTo: 'designation',
    },
    {
      type: 'select_one ownership',
      name: 'ownership',
      label: label('Ownership', 'Husat i papa'),
      required: true,
      saveTo: 'ownership',
    },
    {
      type: 'decimal',
      name: 'size_ha',
      label: label('Size (hectares)', 'Bikpela bilong en (hekta)'),
      constraint: '. > 0',
      saveTo: 'size_ha',
    },
    {
      type: 'integer',
      name: 'established_year',
      label: label('Year established', 'Yia ol i statim'),
      constraint: '. >= 1900 and . <= 2100',
      saveTo: 'established_year',
    },
    {
      type: 'text',
      name: 'management_authority',
      label: label('Management authority', 'Husat i lukautim'),
      saveTo: 'management_authority',
    },
    { type: 'text', name: 'wdpa_id', label: label('WDPA site code', 'WDPA namba'), saveTo: 'wdpa_id' },
    { type: 'geopoint', name: 'location', label: label('Centre point', 'Namel bilong eria'), saveTo: 'geometry' },
  ],
  choices: [
    provinceChoices,
    protectedAreaChoices,
    { listName: 'designation', choices: designations },
    { listName: 'ownership', choices: ownerships },
  ],
  entities: { listName: 'protected_areas', label: '${pa_name}' },
};

type Criteria = readonly [string, string, string, string];

function mettQuestion(
  key: string,
  en: string,
  tpi: string,
  criteria: Criteria,
): { rows: SurveyRow[]; list: ChoiceList } {
  const name = `mett_${key}`;
  return {
    rows: [
      { type: `select_one ${name}`, name, label: label(en, tpi), required: true },
      {
        type: 'text',
        name: `${name}_comment`,
        label: label('Comment and next steps', 'Tok save na wanem samting i mas kamap'),
      },
    ],
    list: {
      listName: name,
      choices: criteria.map((c, score) => ({ name: String(score), label: label(`${score}: ${c}`, `${score}: ${c}`) })),
    },
  };
}

// METT-style questions (domain.md §6.1) with criteria paraphrased for PNG's customary-managed
// areas; the official wording is in the METT Handbook (Stolton, Dudley & Hockings 2021).
const mett = [
  mettQuestion('legal_status', '1. Legal status', '1. Lo', [
    'Not gazetted or recognised',
    'Agreed to gazette, process not started',
    'Gazettal process started, not complete',
    'Gazetted or legally recognised',
  ]),
  mettQuestion('regulations', '2. Rules for land and resource use', '2. Ol lo bilong graun na ol samting', [
    'No rules',
    'Some rules, major weaknesses',
    'Rules with some gaps',
    'Rules give an excellent basis for management',
  ]),
  mettQuestion('law_enforcement', '3. Enforcement', '3. Strongim lo', [
    'No capacity to enforce rules',
    'Major gaps in capacity or resources',
    'Acceptable capacity, some gaps',
    'Excellent capacity to enforce',
  ]),
  mettQuestion('objectives', '4. Objectives', '4. Ol mak', [
    'No agreed objectives',
    'Objectives agreed, not managed to',
    'Objectives partly put in practice',
    'Management designed to meet objectives',
  ]),
  mettQuestion('boundary', '6. Boundary', '6. Mak bilong eria', [
    'Boundary not known',
    'Known to managers, not to local people',
    'Known to all, not marked',
    'Known and marked',
  ]),
  mettQuestion('management_plan', '7. Management plan', '7. Plan bilong lukautim', [
    'No plan',
    'Plan being prepared or not used',
    'Plan partly put in practice',
    'Plan in use',
  ]),
  mettQuestion('protection_systems', '10. Protection systems (patrols, permits)', '10. Patrol na ol pemit', [
    'None or not effective',
    'Partly effective',
    'Largely effective',
    'Effective',
  ]),
  mettQuestion('staff_numbers', '13. Rangers and staff', '13. Ol renja na wokman', [
    'None',
    'Too few for critical work',
    'Too few for some work',
    'Enough',
  ]),
  mettQuestion('current_budget', '15. Current budget', '15. Mani bilong nau', [
    'No budget',
    'Not enough for basic needs',
    'Acceptable, could be better',
    'Sufficient',
  ]),
  mettQuestion('budget_security', '16. Security of budget', '16. Mani i stap strong', [
    'No secure budget; depends on outside funds',
    'Very little secure budget',
    'Secure core budget; new work needs outside funds',
    'Secure budget for years ahead',
  ]),
  mettQuestion('budget_management', '17. Management of budget', '17. Lukautim mani', [
    'Poor; undermines management',
    'Poor; holds management back',
    'Adequate, could be better',
    'Excellent',
  ]),
  mettQuestion('equipment', '18. Equipment', '18. Ol tul', [
    'Little or none',
    'Some, not enough',
    'Some gaps',
    'Enough',
  ]),
  mettQuestion('awareness', '20. Education and awareness', '20. Skulim ol manmeri', [
    'None',
    'Limited and occasional',
    'Planned, with gaps',
    'Planned and carried out',
  ]),
  mettQuestion('communities', '24. Local communities in decisions', '24. Komuniti long ol disisen', [
    'No say in management',
    'Some say, no direct role',
    'Take part in some decisions',
    'Take part in all relevant decisions',
  ]),
  mettQuestion('benefits', '25. Benefits to communities', '25. Gutpela samting long komuniti', [
    'None',
    'Recognised but small',
    'Some flow',
    'Major flow',
  ]),
  mettQuestion('monitoring', '26. Monitoring and evaluation', '26. Lukluk long wok', [
    'None',
    'Occasional, no strategy',
    'Agreed system, results little used',
    'Good system, results used',
  ]),
  mettQuestion('values_condition', '30. Condition of values', '30. Ol gutpela samting bilong eria', [
    'Many values badly degraded',
    'Some values badly degraded',
    'Some partly degraded, most intact',
    'Values mostly intact',
  ]),
];
export const METT_MAX_SCORE = mett.length * 3;

export const managementEffectiveness: FormDefinition = {
  file: `${dir}/management_effectiveness.xlsx`,
  formId: 'png_management_effectiveness',
  title: label('Management effectiveness assessment (METT)', 'Lukluk long wok bilong lukautim eria (METT)'),
  version: VERSION,
  languages,
  defaultLanguage: 'en',
  survey: prefillFromEntity('protected_areas', 'pa_id', [
    ...meta,
    paRow,
    {
      type: 'date',
      name: 'assessment_date',
      label: label('Date of assessment', 'De bilong lukluk'),
      required: true,
      default: 'today()',
      saveTo: 'last_assessment_date',
    },
    { type: 'text', name: 'assessors', label: label('Assessors and their roles', 'Husat i mekim lukluk') },
    { type: 'begin_group', name: 'data_sheet', label: label('Staff and finance', 'Wokman na mani') },
    {
      type: 'integer',
      name: 'permanent_staff',
      label: label('Permanent staff', 'Wokman oltaim'),
      constraint: '. >= 0',
      saveTo: 'permanent_staff',
    },
    {
      type: 'integer',
      name: 'temporary_staff',
      label: label('Temporary staff', 'Wokman sotpela taim'),
      constraint: '. >= 0',
      saveTo: 'temporary_staff',
    },
    {
      type: 'integer',
      name: 'fiscal_year',
      label: label('Financial year', 'Yia bilong mani'),
      required: true,
      constraint: '. >= 2000 and . <= 2100',
      saveTo: 'fiscal_year',
    },
    {
      type: 'select_one currency',
      name: 'currency',
      label: label('Currency', 'Mani'),
      required: true,
      default: 'PGK',
      saveTo: 'currency',
    },
    {
      type: 'decimal',
      name: 'budget_recurrent',
      label: label('Recurrent budget, excluding salaries', 'Mani bilong olgeta yia, nogat pe'),
      constraint: '. >= 0',
      saveTo: 'budget_recurrent',
    },
    {
      type: 'decimal',
      name: 'budget_project',
      label: label('Project or donor budget, excluding salaries', 'Mani bilong projek o dona, nogat pe'),
      constraint: '. >= 0',
      saveTo: 'budget_project',
    },
    {
      type: 'decimal',
      name: 'income_fees',
      label: label('Income from visitor fees', 'Mani long ol visita'),
      constraint: '. >= 0',
      saveTo: 'income_fees',
    },
    {
      type: 'decimal',
      name: 'income_other',
      label: label('Other income', 'Narapela mani i kam insait'),
      constraint: '. >= 0',
      saveTo: 'income_other',
    },
    {
      type: 'decimal',
      name: 'expenditure',
      label: label('Money spent this year', 'Mani ol i yusim long dispela yia'),
      constraint: '. >= 0',
      saveTo: 'expenditure',
    },
    { type: 'end_group' },
    { type: 'begin_group', name: 'assessment', label: label('Assessment', 'Lukluk') },
    ...mett.flatMap((q) => q.rows),
    { type: 'end_group' },
    {
      type: 'calculate',
      name: 'mett_score',
      calculation: mett.map((q) => `number(\${${q.rows[0]?.name ?? ''}})`).join(' + '),
      saveTo: 'mett_score',
    },
    {
      type: 'calculate',
      name: 'mett_percent',
      calculation: `round(100 * \${mett_score} div ${METT_MAX_SCORE}, 0)`,
      saveTo: 'mett_percent',
    },
    {
      type: 'note',
      name: 'score_note',
      label: label(
        `Score: \${mett_score} of ${METT_MAX_SCORE} (\${mett_percent}%)`,
        `Skoa: \${mett_score} long ${METT_MAX_SCORE} (\${mett_percent}%)`,
      ),
    },
  ]),
  choices: [{ listName: 'currency', choices: currencies }, ...mett.map((q) => q.list)],
  entities: { listName: 'protected_areas', entityId: '${pa_id}' },
};

export const resourceUse: FormDefinition = {
  file: `${dir}/resource_use.xlsx`,
  formId: 'png_resource_use',
  title: label('Natural resource use', 'Yusim ol samting bilong graun na solwara'),
  version: VERSION,
  languages,
  defaultLanguage: 'en',
  survey: [
    ...meta,
    paRow,
    { type: 'date', name: 'observation_date', label: label('Date', 'De'), required: true, default: 'today()' },
    { type: 'geopoint', name: 'location', label: label('Location', 'Ples'), sensitivity: 'location' },
    {
      type: 'select_one resource_type',
      name: 'resource_type',
      label: label('Type of resource', 'Kain samting'),
      required: true,
    },
    {
      type: 'select_one product',
      name: 'product',
      label: label('Product', 'Samting'),
      required: true,
      choiceFilter: 'resource_type=${resource_type}',
    },
    { type: 'decimal', name: 'quantity', label: label('Quantity', 'Hamas'), constraint: '. > 0' },
    {
      type: 'select_one unit',
      name: 'unit',
      label: label('Unit', 'Mak'),
      required: true,
      relevant: "${quantity} != ''",
    },
    { type: 'select_one purpose', name: 'purpose', label: label('Purpose', 'Bilong wanem') },
    { type: 'select_one harvester', name: 'harvester', label: label('Who collected it', 'Husat i kisim') },
    { type: 'select_one permit_status', name: 'permit_status', label: label('Permit', 'Tok orait') },
    { type: 'text', name: 'gear', label: label('Gear or method', 'Tul o pasin') },
    { type: 'select_one trend', name: 'trend', label: label('Compared with last year', 'Long yia i go pinis') },
    { type: 'image', name: 'photo', label: label('Photo', 'Piksa') },
    { type: 'text', name: 'notes', label: label('Notes', 'Tok save'), appearance: 'multiline' },
  ],
  choices: [
    { listName: 'resource_type', choices: resourceTypes },
    { listName: 'product', choices: products },
    { listName: 'unit', choices: units },
    { listName: 'purpose', choices: purposes },
    { listName: 'harvester', choices: harvesters },
    { listName: 'permit_status', choices: permitStatuses },
    { listName: 'trend', choices: trends },
  ],
};

const wildlifeIncident = "selected(${incident_type}, 'poaching') or selected(${incident_type}, 'wildlife_trade')";

export const incident: FormDefinition = {
  file: `${dir}/incident.xlsx`,
  formId: 'png_incident',
  title: label('Illicit activity incident', 'Ripot long pasin nogut'),
  version: VERSION,
  languages,
  defaultLanguage: 'en',
  survey: [
    ...meta,
    paRow,
    protectedAreaCodeRow,
    {
      type: 'dateTime',
      name: 'incident_datetime',
      label: label('Date and time of the incident', 'De na taim'),
      required: true,
      constraint: '. <= now()',
    },
    {
      type: 'calculate',
      name: 'incident_date',
      calculation: "format-date(${incident_datetime}, '%Y-%m-%d')",
      saveTo: 'incident_date',
    },
    {
      type: 'select_one incident_type',
      name: 'incident_type',
      label: label('Type of incident', 'Kain pasin nogut'),
      required: true,
      saveTo: 'incident_type',
    },
    {
      type: 'select_one species',
      name: 'species',
      label: label('Species involved', 'Animal o plaua'),
      relevant: wildlifeIncident,
      saveTo: 'species',
    },
    { type: 'select_one method', name: 'method', label: label('Method or gear', 'Pasin o tul'), saveTo: 'method' },
    {
      type: 'select_one severity',
      name: 'severity',
      label: label('Severity', 'Bikpela o liklik'),
      required: true,
      saveTo: 'severity',
    },
    {
      type: 'text',
      name: 'description',
      label: label('What happened', 'Wanem samting i kamap'),
      required: true,
      appearance: 'multiline',
      saveTo: 'description',
    },
    { type: 'begin_group', name: 'where', label: label('Location', 'Ples') },
    {
      type: 'geopoint',
      name: 'location',
      label: label('Where it happened', 'Ples em i kamap'),
      required: true,
      sensitivity: 'location',
      saveTo: 'geometry',
    },
    {
      type: 'geotrace',
      name: 'track',
      label: label('Patrol track (optional)', 'Rot bilong patrol'),
      sensitivity: 'location',
    },
    { type: 'end_group' },
    { type: 'begin_repeat', name: 'scene_photos', label: label('Photos of the scene', 'Piksa bilong ples') },
    {
      type: 'image',
      name: 'scene_photo',
      label: label('Photo: overview, then mid-range, then close-up', 'Piksa: longwe, namel, klostu'),
      hint: label('Do not edit photos; the original file is the evidence.', 'No senisim piksa.'),
    },
    { type: 'text', name: 'scene_photo_caption', label: label('What the photo shows', 'Piksa i soim wanem') },
    { type: 'end_repeat' },
    { type: 'begin_repeat', name: 'evidence', label: label('Evidence items', 'Ol samting bilong kot') },
    { type: 'text', name: 'exhibit_id', label: label('Exhibit number', 'Namba bilong samting'), required: true },
    { type: 'text', name: 'seal_number', label: label('Bag or seal number', 'Namba bilong bek o sil') },
    { type: 'text', name: 'exhibit_description', label: label('Description', 'Tok save'), required: true },
    { type: 'decimal', name: 'exhibit_quantity', label: label('Quantity or weight (kg)', 'Hamas o kilo') },
    {
      type: 'image',
      name: 'exhibit_photo',
      label: label('Photo with placard and scale', 'Piksa wantaim namba na rula'),
    },
    {
      type: 'text',
      name: 'exhibit_condition',
      label: label('Packaging and condition', 'Pasin bilong pasim na kondisen'),
    },
    { type: 'text', name: 'witnesses', label: label('Witnesses', 'Ol witnes'), sensitivity: 'identifying' },
    { type: 'text', name: 'storage_location', label: label('Where it is stored', 'Ples em i stap') },
    { type: 'end_repeat' },
    { type: 'begin_repeat', name: 'suspects', label: label('Suspects', 'Ol man ol i ting i mekim') },
    { type: 'text', name: 'suspect_name', label: label('Name', 'Nem'), sensitivity: 'identifying' },
    {
      type: 'text',
      name: 'suspect_id_number',
      label: label('ID number', 'Namba bilong aidi'),
      sensitivity: 'identifying',
    },
    { type: 'integer', name: 'suspect_age', label: label('Age', 'Krismas'), constraint: '. >= 0 and . < 120' },
    { type: 'select_one sex', name: 'suspect_sex', label: label('Sex', 'Man o meri') },
    {
      type: 'text',
      name: 'suspect_origin',
      label: label('Place of origin', 'Ples bilong em'),
      sensitivity: 'identifying',
    },
    {
      type: 'text',
      name: 'suspect_phone',
      label: label('Phone', 'Fon namba'),
      appearance: 'numbers',
      sensitivity: 'identifying',
    },
    { type: 'select_one suspect_status', name: 'suspect_status', label: label('Outcome', 'Wanem i kamap long em') },
    { type: 'end_repeat' },
    { type: 'begin_repeat', name: 'vehicles', label: label('Vehicles and boats', 'Ka na bot') },
    { type: 'select_one vehicle_type', name: 'vehicle_type', label: label('Type', 'Kain') },
    { type: 'text', name: 'vehicle_registration', label: label('Registration', 'Namba'), sensitivity: 'identifying' },
    { type: 'text', name: 'vehicle_description', label: label('Description', 'Tok save') },
    { type: 'end_repeat' },
    {
      type: 'select_multiple action',
      name: 'action_taken',
      label: label('Action taken', 'Wanem wok ol i mekim'),
      required: true,
      constraint: "not(selected(., 'none') and count-selected(.) > 1)",
      saveTo: 'action_taken',
    },
    { type: 'select_one reporter', name: 'reported_by', label: label('Reported by', 'Husat i ripot'), required: true },
    {
      type: 'text',
      name: 'informant_name',
      label: label('Informant name', 'Nem bilong man i givim tok'),
      relevant: "${reported_by} != 'anonymous'",
      sensitivity: 'identifying',
    },
    {
      type: 'text',
      name: 'informant_phone',
      label: label('Informant phone', 'Fon namba bilong man i givim tok'),
      relevant: "${reported_by} != 'anonymous'",
      appearance: 'numbers',
      sensitivity: 'identifying',
    },
    { type: 'calculate', name: 'incident_status', calculation: "'open'", saveTo: 'incident_status' },
  ],
  choices: [
    { listName: 'incident_type', choices: incidentTypes },
    speciesChoices,
    { listName: 'method', choices: methods },
    { listName: 'severity', choices: severities },
    { listName: 'sex', choices: sexes },
    { listName: 'suspect_status', choices: suspectStatuses },
    { listName: 'vehicle_type', choices: vehicleTypes },
    { listName: 'action', choices: actions },
    { listName: 'reporter', choices: reporters },
  ],
  entities: {
    listName: 'incidents',
    // The type's label in the language the form is filled in, not its code (ODK's jr:choice-name).
    label: "concat(jr:choice-name(${incident_type}, '${incident_type}'), ' ', ${incident_date})",
  },
};

export const incidentFollowUp: FormDefinition = {
  file: `${dir}/incident_follow_up.xlsx`,
  formId: 'png_incident_follow_up',
  title: label('Incident follow-up and chain of custody', 'Bihainim ripot na lukautim ol samting bilong kot'),
  version: VERSION,
  languages,
  defaultLanguage: 'en',
  survey: prefillFromEntity('incidents', 'incident_id', [
    ...meta,
    {
      type: 'select_one_from_file incidents.csv',
      name: 'incident_id',
      label: label('Incident', 'Ripot'),
      required: true,
      appearance: 'search',
    },
    { type: 'date', name: 'follow_up_date', label: label('Date', 'De'), required: true, default: 'today()' },
    {
      type: 'select_one incident_status',
      name: 'incident_status',
      label: label('Status', 'Stetas'),
      required: true,
      saveTo: 'incident_status',
    },
    {
      type: 'text',
      name: 'case_number',
      label: label('Police or court case number', 'Namba bilong kes'),
      saveTo: 'case_number',
    },
    { type: 'begin_repeat', name: 'custody', label: label('Custody transfers', 'Givim ol samting bilong kot') },
    {
      type: 'text',
      name: 'custody_exhibit_id',
      label: label('Exhibit number', 'Namba bilong samting'),
      required: true,
    },
    {
      type: 'text',
      name: 'custody_from',
      label: label('Handed over by', 'Husat i givim'),
      required: true,
      sensitivity: 'identifying',
    },
    {
      type: 'text',
      name: 'custody_to',
      label: label('Received by', 'Husat i kisim'),
      required: true,
      sensitivity: 'identifying',
    },
    { type: 'dateTime', name: 'custody_datetime', label: label('Date and time', 'De na taim'), required: true },
    { type: 'text', name: 'custody_purpose', label: label('Purpose', 'Bilong wanem') },
    { type: 'text', name: 'custody_condition', label: label('Condition and seal intact?', 'Sil i stap gut?') },
    { type: 'end_repeat' },
    { type: 'text', name: 'notes', label: label('Notes', 'Tok save'), appearance: 'multiline' },
  ]),
  choices: [{ listName: 'incident_status', choices: incidentStatuses }],
  entities: { listName: 'incidents', entityId: '${incident_id}' },
};

export const biodiversityObservation: FormDefinition = {
  file: `${dir}/biodiversity_observation.xlsx`,
  formId: 'png_biodiversity_observation',
  title: label('Biodiversity observation', 'Lukim ol animal na plaua'),
  version: VERSION,
  languages,
  defaultLanguage: 'en',
  survey: [
    ...meta,
    paRow,
    protectedAreaCodeRow,
    {
      type: 'dateTime',
      name: 'observation_datetime',
      label: label('Date and time', 'De na taim'),
      required: true,
      constraint: '. <= now()',
    },
    {
      type: 'calculate',
      name: 'event_date',
      calculation: "format-date(${observation_datetime}, '%Y-%m-%d')",
      saveTo: 'event_date',
    },
    {
      type: 'select_one species',
      name: 'species',
      label: label('Species', 'Kain animal o plaua'),
      required: true,
      saveTo: 'species',
    },
    {
      type: 'calculate',
      name: 'scientific_name',
      calculation:
        "if(${species} = 'other', ${species_other}, instance('species')/root/item[name = ${species}]/scientific_name)",
      saveTo: 'scientific_name',
    },
    {
      type: 'text',
      name: 'species_other',
      label: label('Scientific or local name', 'Nem'),
      required: true,
      relevant: "${species} = 'other'",
    },
    {
      type: 'integer',
      name: 'individual_count',
      label: label('How many', 'Hamas'),
      required: true,
      constraint: '. >= 1',
      default: '1',
      saveTo: 'individual_count',
    },
    {
      type: 'select_one evidence_type',
      name: 'evidence_type',
      label: label('Evidence', 'Olsem wanem yu save'),
      required: true,
      saveTo: 'evidence_type',
    },
    {
      type: 'calculate',
      name: 'basis_of_record',
      calculation: "if(${evidence_type} = 'camera_trap', 'MachineObservation', 'HumanObservation')",
      saveTo: 'basis_of_record',
    },
    { type: 'image', name: 'photo', label: label('Photo', 'Piksa') },
    {
      type: 'geopoint',
      name: 'location',
      label: label('Location', 'Ples'),
      required: true,
      sensitivity: 'location',
      saveTo: 'geometry',
    },
    {
      type: 'text',
      name: 'notes',
      label: label('Behaviour, habitat and notes', 'Pasin, ples na tok save'),
      appearance: 'multiline',
    },
  ],
  choices: [speciesChoices, { listName: 'evidence_type', choices: evidenceTypes }],
  entities: { listName: 'observations', label: "concat(${scientific_name}, ' x', ${individual_count})" },
};

export const forms: FormDefinition[] = [
  protectedAreaRegistration,
  managementEffectiveness,
  resourceUse,
  incident,
  incidentFollowUp,
  biodiversityObservation,
];
