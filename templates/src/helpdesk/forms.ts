import type { Choice, FormDefinition, FormLanguage, Labels } from '../xlsform/formDefinition.js';
import { areas } from './areas.js';
import { prefillFromEntity } from '../xlsform/prefill.js';

const languages: FormLanguage[] = [
  { code: 'en', name: 'English' },
  { code: 'mn', name: 'Mongolian' },
];
const VERSION = '2026120702';
const dir = 'helpdesk/forms';

function label(en: string, mn: string): Labels {
  return { en, mn };
}
function choice(name: string, en: string, mn: string): Choice {
  return { name, label: { en, mn } };
}

export const categories: Choice[] = [
  choice('data_collection', 'Data collection and forms', 'Мэдээлэл цуглуулах, маягт'),
  choice('case_management', 'Case management', 'Кейс менежмент'),
  choice('data_cleaning', 'Data cleaning', 'Өгөгдөл цэвэрлэх'),
  choice('analysis_dashboards', 'Analysis and dashboards', 'Шинжилгээ, хяналтын самбар'),
  choice('maps_gis', 'Maps and GIS', 'Газрын зураг'),
  choice('training', 'Training and data skills', 'Сургалт'),
  choice('devices_connectivity', 'Devices and connectivity', 'Төхөөрөмж, холболт'),
  choice('privacy_security', 'Privacy and security', 'Нууцлал, аюулгүй байдал'),
  choice('other', 'Other', 'Бусад'),
];

export const urgencies: Choice[] = [
  choice('low', 'Low', 'Бага'),
  choice('normal', 'Normal', 'Энгийн'),
  choice('high', 'High', 'Өндөр'),
  choice('critical', 'Critical', 'Яаралтай'),
];

export const requestStatuses: Choice[] = [
  choice('open', 'Open', 'Нээлттэй'),
  choice('in_progress', 'In progress', 'Хийгдэж байна'),
  choice('waiting', 'Waiting for requester', 'Хүлээгдэж байна'),
  choice('resolved', 'Resolved', 'Шийдвэрлэсэн'),
  choice('closed', 'Closed', 'Хаасан'),
];

/**
 * The people who take requests. Each choice's name is the username of a member of the helpdesk
 * project: the triage saves it as the request's `assignee`, which makes that user the case's
 * assignee (docs/entities.md). These are the demo's logins; a deployment lists its own experts.
 */
export const experts: Choice[] = [
  choice('supervisor', 'Ganbold Tsetseg (helpdesk lead)', 'Ганболд Цэцэг (тусламжийн ахлагч)'),
  choice('fieldworker', 'Bat-Erdene Oyunaa (Mongolia office)', 'Бат-Эрдэнэ Оюунаа (Монгол дахь төлөөлөгчийн газар)'),
  choice('fieldworker2', 'Dorj Saruul (PNG office)', 'Дорж Саруул (ПНГ дахь төлөөлөгчийн газар)'),
];

const offices: Choice[] = areas.map((a) => ({
  name: a.code,
  label: { en: a.name.en ?? a.code, mn: a.name.mn ?? a.code },
}));

export const requestIntake: FormDefinition = {
  file: `${dir}/request.xlsx`,
  formId: 'helpdesk_request',
  title: label('Helpdesk request', 'Тусламжийн хүсэлт'),
  version: VERSION,
  languages,
  defaultLanguage: 'en',
  survey: [
    { type: 'start', name: 'start' },
    { type: 'end', name: 'end' },
    {
      type: 'select_one office',
      name: 'office',
      label: label('Country office', 'Суурин төлөөлөгчийн газар'),
      required: true,
      saveTo: 'office',
    },
    {
      type: 'text',
      name: 'requester_name',
      label: label('Your name', 'Таны нэр'),
      required: true,
      sensitivity: 'identifying',
      saveTo: 'requester_name',
    },
    {
      type: 'text',
      name: 'requester_email',
      label: label('Your e-mail', 'Таны и-мэйл'),
      required: true,
      constraint: "regex(., '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$')",
      constraintMessage: label('Enter an e-mail address.', 'И-мэйл хаяг оруулна уу.'),
      sensitivity: 'identifying',
      saveTo: 'requester_email',
    },
    { type: 'text', name: 'requester_unit', label: label('Unit or project', 'Нэгж, төсөл'), saveTo: 'requester_unit' },
    {
      type: 'select_one category',
      name: 'category',
      label: label('What is it about?', 'Юуны талаар?'),
      required: true,
      saveTo: 'category',
    },
    { type: 'text', name: 'title', label: label('Short title', 'Товч гарчиг'), required: true, saveTo: 'title' },
    {
      type: 'text',
      name: 'description',
      label: label('Describe the problem or need', 'Асуудал, хэрэгцээгээ тайлбарлана уу'),
      required: true,
      appearance: 'multiline',
      saveTo: 'description',
    },
    {
      type: 'select_one urgency',
      name: 'urgency',
      label: label('Urgency', 'Яаралтай байдал'),
      required: true,
      default: 'normal',
      saveTo: 'urgency',
    },
    {
      type: 'date',
      name: 'needed_by',
      label: label('Needed by', 'Хэзээ гэхэд'),
      constraint: '. >= today()',
      saveTo: 'needed_by',
    },
    { type: 'calculate', name: 'request_status', calculation: "'open'", saveTo: 'request_status' },
    { type: 'calculate', name: 'submitted_on', calculation: 'today()', saveTo: 'submitted_on' },
  ],
  choices: [
    { listName: 'office', choices: offices },
    { listName: 'category', choices: categories },
    { listName: 'urgency', choices: urgencies },
  ],
  entities: { listName: 'requests', label: '${title}' },
};

export const requestTriage: FormDefinition = {
  file: `${dir}/triage.xlsx`,
  formId: 'helpdesk_triage',
  title: label('Triage and update a request', 'Хүсэлтийг ангилах, шинэчлэх'),
  version: VERSION,
  languages,
  defaultLanguage: 'en',
  survey: prefillFromEntity('requests', 'request_id', [
    {
      type: 'select_one_from_file requests.csv',
      name: 'request_id',
      label: label('Request', 'Хүсэлт'),
      required: true,
      appearance: 'search',
    },
    {
      type: 'select_one category',
      name: 'category',
      label: label('Category', 'Ангилал'),
      required: true,
      saveTo: 'category',
    },
    {
      type: 'select_one urgency',
      name: 'urgency',
      label: label('Urgency', 'Яаралтай байдал'),
      required: true,
      saveTo: 'urgency',
    },
    {
      type: 'select_one expert',
      name: 'assignee',
      label: label('Assigned expert', 'Хариуцах мэргэжилтэн'),
      saveTo: 'assignee',
    },
    {
      type: 'select_one request_status',
      name: 'request_status',
      label: label('Status', 'Төлөв'),
      required: true,
      saveTo: 'request_status',
    },
    {
      type: 'text',
      name: 'resolution',
      label: label('Resolution', 'Шийдвэрлэсэн байдал'),
      appearance: 'multiline',
      relevant: "${request_status} = 'resolved' or ${request_status} = 'closed'",
      saveTo: 'resolution',
    },
  ]),
  choices: [
    { listName: 'category', choices: categories },
    { listName: 'urgency', choices: urgencies },
    { listName: 'expert', choices: experts },
    { listName: 'request_status', choices: requestStatuses },
  ],
  entities: { listName: 'requests', entityId: '${request_id}' },
};

export const forms: FormDefinition[] = [requestIntake, requestTriage];
