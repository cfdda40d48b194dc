// Rows of the household registration form for the export benchmark, as receiveSubmission stores
// them: the instance XML (bench/ingest's household, with a location and 0–3 members) and its JSON
// projection (groups as objects, the members repeat as an array, answers as strings).
import { householdXml, KHOROOS, uuidOf } from '../ingest/householdXml.mjs';

const GIVEN = ['Болд', 'Сарнай', 'Ганбат', 'Оюунаа', 'Тэмүүлэн', 'Нарангэрэл', 'Энхжин', 'Батбаяр'];
const FAMILY = ['Боржигин', 'Тайчууд', 'Хиад', 'Сартуул', 'Урианхай', 'Жалайр', 'Олхонуд'];
const CHILDREN = ['Нараа', 'Тулга', 'Анужин'];

function member(i) {
  return {
    member_family_name: '',
    member_fathers_name: 'Батын',
    member_given_name: CHILDREN[i],
    member_register_number: '',
    member_dob: `201${i + 2}-06-01`,
    member_age: String(13 - i),
    member_age_note: '',
    member_sex: i % 2 === 0 ? 'female' : 'male',
    member_relationship: 'child',
  };
}

const memberXml = (m) =>
  `<members>${Object.entries(m)
    .map(([k, v]) => (v === '' ? `<${k}/>` : `<${k}>${v}</${k}>`))
    .join('')}</members>`;

/** The projection of `householdXml({ n, … })` with the location and members added here. */
export function householdData({ instanceId, entityId, n }) {
  const given = GIVEN[n % GIVEN.length];
  const members = Array.from({ length: n % 4 }, (_, i) => member(i));
  return {
    data: {
      start: '2026-03-01T09:00:00.000+08:00',
      end: '2026-03-01T09:20:00.000+08:00',
      today: '2026-03-01',
      username: 'bolor',
      consent: 'yes',
      head: {
        head_family_name: FAMILY[n % FAMILY.length],
        head_fathers_name: 'Батын',
        head_given_name: given,
        head_register_number: `УК850327${(n % 5) * 2 + 1}${n % 10}`,
        head_dob: '1985-03-27',
        head_age: '40',
        head_age_note: '',
        head_sex: 'male',
        head_phone: '99112233',
      },
      address: {
        aimag: 'MN11',
        soum: 'MN1110',
        bag: KHOROOS[n % KHOROOS.length],
        address_detail: '12-р байр',
        dwelling_type: '',
        location: `47.91${n % 1000} 106.91${n % 997} 1350 5`,
      },
      ...(members.length > 0 ? { members } : {}),
      household_size: String(1 + members.length),
      children_count: String(members.length),
      elderly_count: '0',
      situation: { vulnerability: '', needs: 'food', monthly_income: String((n % 40) * 25_000), notes: '' },
      registration_date: '2026-03-01',
      case_status: 'open',
      meta: {
        instanceID: instanceId,
        instanceName: `Б. ${given}`,
        entity: { '@dataset': 'cases', '@id': entityId, '@create': '1', label: `Б. ${given}` },
      },
    },
    membersXml: members.map(memberXml).join(''),
  };
}

/** The `submissions` row of household `n`. */
export function householdRow(n, { projectId, formVersionId, version, userId }) {
  const instanceId = `uuid:${uuidOf(`export-${n}`)}`;
  const entityId = uuidOf(`export-case-${n}`);
  const { data, membersXml } = householdData({ instanceId, entityId, n });
  const xml = householdXml({ instanceId, entityId, version, n })
    .replace('<location/>', `<location>${data.address.location}</location>`)
    .replace(
      '<household_size>1</household_size><children_count>0',
      `${membersXml}<household_size>${data.household_size}</household_size><children_count>${data.children_count}`,
    );
  // Spread over the past months, a few seconds apart, oldest first (commit order).
  const receivedAt = new Date(Date.UTC(2026, 5, 1) + n * 7_000).toISOString();
  return {
    instance_id: instanceId,
    project_id: projectId,
    form_version_id: formVersionId,
    user_id: userId,
    device_id: null,
    xml,
    data: JSON.stringify(data),
    replaces: null,
    received_at: receivedAt,
    seq: n + 1,
  };
}
