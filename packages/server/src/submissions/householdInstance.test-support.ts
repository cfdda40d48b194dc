import { templateFormVersion } from '../templateFormVersion.test-support.js';
/** What a test may vary in a household registration; the rest is the same Bolor-registered family. */
export interface HouseholdAnswers {
  instanceId: string;
  /** The case the registration creates. */
  entityId: string;
  /** The form version it was filled on. */
  version?: string;
  /** The head's given name; the instance name and case label follow it. */
  given?: string;
  register?: string;
  /** The khoroo (bag) code, which places the case. */
  bag?: string;
  income?: string;
  /** The case label, when it must differ from the head's name. */
  label?: string;
  /** The submission this instance edits (`meta/deprecatedID`). */
  deprecatedId?: string;
}

/**
 * A Mongolia household registration instance as a device saves it, creating its case, for the
 * tests of receiving, sync and attachments.
 */
export function householdInstance(h: HouseholdAnswers): string {
  const given = h.given ?? 'Болд';
  return `<data xmlns:jr="http://openrosa.org/javarosa" id="mn_household_registration" version="${h.version ?? templateFormVersion('mn_household_registration')}">
  <start>2026-03-01T09:00:00.000+08:00</start><end>2026-03-01T09:20:00.000+08:00</end><today>2026-03-01</today><username>bolor</username>
  <consent>yes</consent>
  <head><head_family_name>Боржигин</head_family_name><head_fathers_name>Батын</head_fathers_name><head_given_name>${given}</head_given_name>
    <head_register_number>${h.register ?? 'УК85032715'}</head_register_number><head_dob>1985-03-27</head_dob><head_age>40</head_age><head_age_note/>
    <head_sex>male</head_sex><head_phone>99112233</head_phone></head>
  <address><aimag>MN11</aimag><soum>MN1110</soum><bag>${h.bag ?? 'MN111051'}</bag><address_detail>12-р байр</address_detail><dwelling_type/><location/></address>
  <household_size>1</household_size><children_count>0</children_count><elderly_count>0</elderly_count>
  <situation><vulnerability/><needs>food</needs><monthly_income>${h.income ?? '450000'}</monthly_income><notes/></situation>
  <registration_date>2026-03-01</registration_date><case_status>open</case_status>
  <meta><instanceID>${h.instanceId}</instanceID>${h.deprecatedId === undefined ? '' : `<deprecatedID>${h.deprecatedId}</deprecatedID>`}<instanceName>Б. ${given}</instanceName>
    <entity dataset="cases" id="${h.entityId}" create="1"><label>${h.label ?? `Б. ${given}`}</label></entity></meta>
</data>`;
}
