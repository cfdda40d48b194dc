import type { DemoData, DemoEntity, DemoOptions } from '../demo/demoData.js';
import type { SeededRandom } from '../demo/seededRandom.js';
import { DAY_MS, DEMO_REFERENCE_DATE, daysBefore, isoDate, isoTime, seededRandom } from '../demo/seededRandom.js';
import { areaListVersion, areas } from './areas.js';

const requesters: Record<string, string[]> = {
  MN: ['Oyunchimeg Batbold', 'Ganbaatar Dorj', 'Narantuya Tserendorj', 'Bat-Erdene Sukhbaatar', 'Solongo Lkhagva'],
  PG: ['Grace Kila', 'John Wari', 'Mary Tom', 'Peter Kaupa', 'Ruth Namaliu'],
  GE: ['Nino Beridze', 'Giorgi Kapanadze', 'Tamar Lomidze', 'Levan Gelashvili', 'Ana Tsiklauri'],
};

const units: Record<string, string[]> = {
  MN: ['Social protection project', 'Governance unit', 'Climate and environment unit'],
  PG: ['Protected areas project', 'Environment unit', 'Governance unit'],
  GE: ['Programme analysis unit', 'Operations', 'Democratic governance unit'],
};

/** [category, title, description] */
const requestsByOffice: Record<string, Array<[string, string, string]>> = {
  MN: [
    [
      'case_management',
      'Case management for khoroo social workers',
      'Social workers need Mongolian-language software on tablets that works offline, records locations and syncs when a connection is available.',
    ],
    [
      'data_collection',
      'Household registration form in Mongolian',
      'Please help us turn the ministry household registration form into a tablet form with register-number checks.',
    ],
    [
      'privacy_security',
      'Who may see vulnerable households',
      'Not every user should see every record; location data must be treated as sensitive. How do we set this up?',
    ],
    [
      'devices_connectivity',
      'Tablets lose data when the battery dies',
      'Two workers lost visits recorded offline. We need to know nothing is lost before we roll out.',
    ],
    [
      'analysis_dashboards',
      'Overview of cases by khoroo',
      'Supervisors want a quick overview of open cases per khoroo and by need.',
    ],
  ],
  PG: [
    [
      'data_collection',
      'Incident reports from rangers without coverage',
      'Rangers need to report illegal logging and hunting with photos and GPS and send when back in coverage.',
    ],
    [
      'maps_gis',
      'Map of patrol tracks for Varirata',
      'We want patrol tracks and incidents on one map for the park management committee.',
    ],
    [
      'analysis_dashboards',
      'Management effectiveness scores beside budgets',
      'Donors ask to see METT scores next to budgets and incident counts per protected area.',
    ],
    [
      'privacy_security',
      'Hide locations of sensitive species',
      'Exact locations of birds-of-paradise and tree-kangaroos must not reach the public dashboards.',
    ],
    [
      'training',
      'Tok Pisin forms for community monitors',
      'Community monitors read Tok Pisin better than English; can the forms be translated?',
    ],
  ],
  GE: [
    [
      'training',
      'Data cleaning training for programme staff',
      'Staff want to clean survey data themselves instead of hiring a firm.',
    ],
    [
      'analysis_dashboards',
      'Connect Power BI to our survey data',
      'We chose Power BI; how do we connect it to the collected data?',
    ],
    [
      'data_cleaning',
      'Duplicate respondents in the youth survey',
      'The youth survey has duplicate respondents and missing values; we need a repeatable cleaning process.',
    ],
    [
      'training',
      'Charting and mapping for the annual report',
      'Help the team make charts and maps for the annual report without outside analysts.',
    ],
    ['other', 'Advice on a data-sharing agreement', 'A ministry asks for raw survey data; what should we check first?'],
  ],
};

function email(name: string): string {
  const [first = 'staff', last = ''] = name.toLowerCase().split(' ');
  return `${first}.${last}@example.org`.replace(/[^a-z.@-]/g, '');
}

function request(random: SeededRandom): DemoEntity {
  const office = random.weighted([
    ['MN', 4],
    ['PG', 3],
    ['GE', 3],
  ] as const);
  const [category, title, description] = random.pick(requestsByOffice[office] ?? []);
  const requester = random.pick(requesters[office] ?? []);
  const createdMs = daysBefore(random, 540);
  const ageDays = (DEMO_REFERENCE_DATE - createdMs) / DAY_MS;
  const status =
    ageDays > 120
      ? random.weighted([
          ['closed', 8],
          ['resolved', 2],
        ] as const)
      : random.weighted([
          ['open', 3],
          ['in_progress', 4],
          ['waiting', 2],
          ['resolved', 2],
          ['closed', 1],
        ] as const);
  const urgency = random.weighted([
    ['low', 2],
    ['normal', 5],
    ['high', 2],
    ['critical', 0.5],
  ] as const);
  const updatedMs =
    status === 'open' ? createdMs : createdMs + Math.floor(random.next() * Math.min(ageDays, 90) * DAY_MS);
  const properties: Record<string, string> = {
    office,
    requester_name: requester,
    requester_email: email(requester),
    requester_unit: random.pick(units[office] ?? []),
    category,
    title,
    description,
    urgency,
    request_status: status,
    submitted_on: isoDate(createdMs),
  };
  if (random.chance(0.4)) properties['needed_by'] = isoDate(createdMs + random.int(7, 60) * DAY_MS);
  return {
    list: 'requests',
    id: random.uuid(),
    label: title,
    properties,
    areaCode: office,
    status,
    categories: [category],
    createdAt: isoTime(createdMs),
    updatedAt: isoTime(updatedMs),
  };
}

/** Requests that country offices sent to the digital helpdesk over eighteen months. */
export function generateDemo(options: DemoOptions): DemoData {
  const random = seededRandom(options.seed);
  return {
    template: 'helpdesk',
    project: { slug: 'helpdesk', name: 'Country office helpdesk' },
    areas,
    areaListVersion,
    entities: Array.from({ length: options.cases }, () => request(random)),
  };
}
