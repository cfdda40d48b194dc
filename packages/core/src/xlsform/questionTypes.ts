/** How each XLSForm question type maps onto an XForm bind and body control (after pyxform's table). */
export interface QuestionType {
  /** Canonical XLSForm type name. */
  name: string;
  bindType: string | null;
  /** Body element; null for fields without a control (calculate, hidden, metadata). */
  control: 'input' | 'select1' | 'select' | 'odk:rank' | 'upload' | 'trigger' | 'range' | null;
  mediatype?: string;
  preload?: { preload: string; params?: string };
  readonly?: boolean;
  appearance?: string;
  /** Metadata questions are filled by the device and need neither label nor hint. */
  metadata?: boolean;
}

const TYPES: QuestionType[] = [
  { name: 'text', bindType: 'string', control: 'input' },
  { name: 'integer', bindType: 'int', control: 'input' },
  { name: 'decimal', bindType: 'decimal', control: 'input' },
  { name: 'range', bindType: 'int', control: 'range' },
  { name: 'date', bindType: 'date', control: 'input' },
  { name: 'time', bindType: 'time', control: 'input' },
  { name: 'dateTime', bindType: 'dateTime', control: 'input' },
  { name: 'note', bindType: 'string', control: 'input', readonly: true },
  { name: 'geopoint', bindType: 'geopoint', control: 'input' },
  { name: 'geotrace', bindType: 'geotrace', control: 'input' },
  { name: 'geoshape', bindType: 'geoshape', control: 'input' },
  { name: 'image', bindType: 'binary', control: 'upload', mediatype: 'image/*' },
  { name: 'audio', bindType: 'binary', control: 'upload', mediatype: 'audio/*' },
  { name: 'video', bindType: 'binary', control: 'upload', mediatype: 'video/*' },
  { name: 'file', bindType: 'binary', control: 'upload', mediatype: 'application/*' },
  { name: 'barcode', bindType: 'barcode', control: 'input' },
  { name: 'acknowledge', bindType: 'string', control: 'trigger' },
  { name: 'trigger', bindType: null, control: 'trigger' },
  { name: 'calculate', bindType: 'string', control: null },
  { name: 'hidden', bindType: 'string', control: null },
  { name: 'phone number', bindType: 'string', control: 'input', appearance: 'numbers' },
  {
    name: 'start',
    bindType: 'dateTime',
    control: null,
    preload: { preload: 'timestamp', params: 'start' },
    metadata: true,
  },
  {
    name: 'end',
    bindType: 'dateTime',
    control: null,
    preload: { preload: 'timestamp', params: 'end' },
    metadata: true,
  },
  { name: 'today', bindType: 'date', control: null, preload: { preload: 'date', params: 'today' }, metadata: true },
  ...['deviceid', 'subscriberid', 'simserial', 'phonenumber', 'username', 'email'].map((p): QuestionType => ({
    name: p,
    bindType: 'string',
    control: null,
    preload: { preload: 'property', params: p },
    metadata: true,
  })),
  ...['uri:deviceid', 'uri:subscriberid', 'uri:simserial', 'uri:phonenumber', 'uri:username', 'uri:email'].map(
    (p): QuestionType => ({
      name: p,
      bindType: 'string',
      control: null,
      preload: { preload: 'property', params: p },
      metadata: true,
    }),
  ),
  { name: 'audit', bindType: 'binary', control: null, metadata: true },
  { name: 'start-geopoint', bindType: 'geopoint', control: null, metadata: true },
  { name: 'background-geopoint', bindType: 'geopoint', control: null, metadata: true },
  { name: 'background-audio', bindType: 'binary', control: null, metadata: true },
  { name: 'xml-external', bindType: null, control: null, metadata: true },
  { name: 'csv-external', bindType: null, control: null, metadata: true },
];

const BY_NAME = new Map(TYPES.map((t) => [t.name.toLowerCase(), t]));

const ALIASES: Record<string, string> = {
  string: 'text',
  int: 'integer',
  datetime: 'dateTime',
  'date time': 'dateTime',
  'date and time': 'dateTime',
  photo: 'image',
  gps: 'geopoint',
  location: 'geopoint',
  'add text prompt': 'text',
  'add integer prompt': 'integer',
  'add decimal prompt': 'decimal',
  'add date prompt': 'date',
  'add time prompt': 'time',
  'add image prompt': 'image',
  'add audio prompt': 'audio',
  'add video prompt': 'video',
  'add barcode prompt': 'barcode',
  'add note prompt': 'note',
  'add location prompt': 'geopoint',
  'add acknowledge prompt': 'acknowledge',
  imei: 'deviceid',
  'sim serial': 'simserial',
  phone_number: 'phone number',
  'start time': 'start',
  'end time': 'end',
  'start-time': 'start',
  'end-time': 'end',
  select_one_from_file: 'select_one_from_file',
};

export function lookupQuestionType(typeName: string): QuestionType | undefined {
  const key = typeName.trim().toLowerCase().replace(/\s+/g, ' ');
  const canonical = ALIASES[key] ?? key;
  return BY_NAME.get(canonical.toLowerCase());
}

export type SelectKind = 'select_one' | 'select_multiple' | 'rank';

export interface SelectType {
  kind: SelectKind;
  listName: string;
  orOther: boolean;
  fromFile: boolean;
  external: boolean;
}

/** Recognises `select_one list`, `select one from list`, `select all that apply from list or specify other`, `rank list`, `select_one_from_file f.csv`. */
export function parseSelectType(typeName: string): SelectType | undefined {
  let t = typeName.trim().replace(/\s+/g, ' ');
  let orOther = false;
  const other = /\s+(or_other|or specify other)$/i.exec(t);
  if (other) {
    orOther = true;
    t = t.slice(0, other.index);
  }
  const patterns: Array<[RegExp, SelectKind, boolean, boolean]> = [
    [/^select_one_from_file (.+)$/i, 'select_one', true, false],
    [/^select_multiple_from_file (.+)$/i, 'select_multiple', true, false],
    [/^select one from file (.+)$/i, 'select_one', true, false],
    [/^select multiple from file (.+)$/i, 'select_multiple', true, false],
    [/^select_one_external (\S+)$/i, 'select_one', false, true],
    [/^select_multiple_external (\S+)$/i, 'select_multiple', false, true],
    [/^select_one (\S+)$/i, 'select_one', false, false],
    [/^select one from (\S+)$/i, 'select_one', false, false],
    [/^select one (\S+)$/i, 'select_one', false, false],
    [/^select1 (\S+)$/i, 'select_one', false, false],
    [/^select_multiple (\S+)$/i, 'select_multiple', false, false],
    [/^select all that apply from (\S+)$/i, 'select_multiple', false, false],
    [/^select all that apply (\S+)$/i, 'select_multiple', false, false],
    [/^select multiple (\S+)$/i, 'select_multiple', false, false],
    [/^rank (\S+)$/i, 'rank', false, false],
  ];
  for (const [re, kind, fromFile, external] of patterns) {
    const m = re.exec(t);
    if (m) return { kind, listName: (m[1] as string).trim(), orOther, fromFile, external };
  }
  return undefined;
}
