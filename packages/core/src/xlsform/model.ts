/** The compiler's shared vocabulary: the survey tree, the compile context and XForm constants. */
import type { EntityPlan } from './entityPlan.js';
import type { QuestionType, SelectType } from './questionTypes.js';
import type { Cell, SheetRow, SheetTable } from './sheetTable.js';
import type { CompileIssue, FieldInfo } from './types.js';
import type { XmlChild, XmlElement } from './XmlElement.js';

export const NS = {
  xmlns: 'http://www.w3.org/2002/xforms',
  'xmlns:ev': 'http://www.w3.org/2001/xml-events',
  'xmlns:h': 'http://www.w3.org/1999/xhtml',
  'xmlns:jr': 'http://openrosa.org/javarosa',
  'xmlns:odk': 'http://www.opendatakit.org/xforms',
  'xmlns:orx': 'http://openrosa.org/xforms',
  'xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
};
export const ENTITIES_NS = 'http://www.opendatakit.org/xforms/entities';
export const KNOWN_SHEETS = ['survey', 'choices', 'settings', 'entities', 'external_choices', 'osm'];
export const XML_NAME = /^[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_.\-\u00B7\u00C0-\uFFFF]*$/;
export const REF = /\$\{([^}]*)\}/g;
/** Types that declare an attached file as a secondary instance instead of a field. */
export const EXTERNAL_INSTANCE_TYPES = new Set(['xml-external', 'csv-external']);
export const MEDIA_KINDS: Array<[string, string, string]> = [
  ['image', 'image', 'jr://images/'],
  ['big-image', 'big-image', 'jr://images/'],
  ['audio', 'audio', 'jr://audio/'],
  ['video', 'video', 'jr://video/'],
];

export interface Choice {
  row: SheetRow;
  name: string;
  labels: Map<string, Cell>;
  media: Map<string, Map<string, Cell>>;
  extra: Array<[string, string]>;
}

export interface ChoiceList {
  name: string;
  choices: Choice[];
  row: number;
}

export type NodeKind = 'question' | 'group' | 'repeat' | 'root';

export interface SurveyNode {
  kind: NodeKind;
  name: string;
  row: SheetRow | null;
  type: string;
  qtype?: QuestionType;
  select?: SelectType;
  children: SurveyNode[];
  parent: SurveyNode | null;
  /** Overrides applied by table-list handling and generated nodes. */
  appearance?: string | undefined;
  labelOverride?: Map<string, Cell> | null;
  hintOverride?: Map<string, Cell> | null;
  generated?: 'table-label' | 'table-header' | 'or-other' | 'repeat-count' | 'loop-item';
  calculation?: string;
  relevantOverride?: string;
  /** For `begin loop over <list>`: the list whose choices each get a copy of the loop's questions. */
  loopList?: string;
  /** On the root only: pyxform's retired `flat` setting. */
  flat?: boolean;
}

export interface Ctx {
  surveySheet: string;
  issues: CompileIssue[];
  warnings: CompileIssue[];
  defaultLanguage: string;
  lists: Map<string, ChoiceList>;
  root: SurveyNode;
  byName: Map<string, SurveyNode[]>;
  languages: Set<string>;
  itext: Map<string, Map<string, Map<string, XmlChild[]>>>; // lang -> id -> form ('' = long) -> content
  itextIds: string[];
  fileInstances: Map<string, string>;
  /** Namespace prefixes the form declares (xmlns:prefix → uri): the standard ones plus the settings' namespaces. */
  namespaces: Map<string, string>;
}

/** What the settings sheet says about the emitted XForm. */
export interface EmitSettings {
  formId: string;
  title: string;
  version: string;
  instanceName: { cell: Cell; sheet: string; row: number } | null;
  publicKey: string | undefined;
  submissionUrl: string | undefined;
  style: string | undefined;
  entities: SheetTable | null;
  defaultSensitivity: string | null;
  flat: boolean;
}

/** What emitting the body and binds collects on the way, for the model and the form summary. */
export interface EmitState {
  settings: EmitSettings;
  binds: XmlElement[];
  modelActions: XmlElement[];
  fields: FieldInfo[];
  /** Where each entity list's block goes and which list each `save_to` belongs to. */
  entityPlan: EntityPlan;
  /** Under the retired `flat` setting, a group's relevant passes down to its questions. */
  flatRelevant: Map<SurveyNode, string | undefined>;
  hasAudit: boolean;
  /** Questions whose change recomputes others (the `trigger` column). */
  triggers: Map<SurveyNode, SurveyNode[]>;
}

export function truthy(value: string | undefined): boolean {
  return value !== undefined && ['yes', 'true', 'true()', '1'].includes(value.trim().toLowerCase());
}

export function createContext(
  surveySheet: string,
  issues: CompileIssue[],
  warnings: CompileIssue[],
  defaultLanguage: string,
  rootName: string,
): Ctx {
  return {
    surveySheet,
    issues,
    warnings,
    defaultLanguage,
    lists: new Map(),
    root: { kind: 'root', name: rootName, row: null, type: 'survey', children: [], parent: null },
    byName: new Map(),
    languages: new Set(),
    itext: new Map(),
    itextIds: [],
    fileInstances: new Map(),
    namespaces: new Map(Object.entries(NS).flatMap(([k, v]) => (k.startsWith('xmlns:') ? [[k.slice(6), v]] : []))),
  };
}
