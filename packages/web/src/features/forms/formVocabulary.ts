/**
 * The words a project's forms give to what the app shows outside a form: each form's title, and the
 * choice labels (per language) of the questions that save to a case property, so a case's status
 * `under_investigation` reads as the form's "Under investigation" (or its Mongolian label).
 * Read from the XForms the device already holds, with the browser's DOMParser.
 */

/** Labels of one choice by language code (`mn`, `en`, `tpi`); `''` for a form without languages. */
export type ChoiceLabels = Readonly<Record<string, string>>;

export interface FormWords {
  readonly formId: string;
  readonly title: string;
  /** The entity list the form creates or updates, if any. */
  readonly dataset: string | null;
  /** Whether the form creates cases of its list (a registration), not only updates them. */
  readonly creates?: boolean;
  /** The form's default language code, or '' when it has none. */
  readonly defaultLanguage: string;
  /** For each case property a select question saves to: its choices' labels by value. */
  readonly properties: ReadonlyMap<string, ReadonlyMap<string, ChoiceLabels>>;
  /** The case properties a `date` question saves to: what follow-up tasks are computed from. */
  readonly dates: ReadonlySet<string>;
  /** For each case property a question saves to: that question's label by language. */
  readonly labels: ReadonlyMap<string, ChoiceLabels>;
  /** Every case property the form saves, with its question's kind, as core's field catalogue names them. */
  readonly saved: readonly SavedProperty[];
  /**
   * For each property saved from a choice list: the other columns of each choice (`aimag` of a soum,
   * the parent of an area), by choice value. Empty for choices written inline.
   */
  readonly choiceColumns: ReadonlyMap<string, ReadonlyMap<string, Readonly<Record<string, string>>>>;
  /**
   * For every select question, by its path under the instance root (`/head/head_sex`): its
   * choices' labels by value, so an answer `male` reads as the form's "Male" (or "Эр").
   */
  readonly questionChoices?: ReadonlyMap<string, ReadonlyMap<string, ChoiceLabels>>;
}

/** A property a form saves: `type` as XLSForm writes it (`text`, `date`, `select_one`, `select_multiple` …). */
export interface SavedProperty {
  readonly property: string;
  readonly type: string;
}

const bindTypes: Readonly<Record<string, string>> = {
  string: 'text',
  date: 'date',
  dateTime: 'dateTime',
  int: 'integer',
  decimal: 'decimal',
  geopoint: 'geopoint',
};

const XFORMS = 'http://www.w3.org/2002/xforms';
const ENTITIES = 'http://www.opendatakit.org/xforms/entities';

/** "Mongolian (mn)" → "mn"; a name without a code stays as it is. */
function languageCode(lang: string): string {
  return /\(([^)]+)\)\s*$/.exec(lang)?.[1] ?? lang;
}

function childrenNamed(parent: Element, name: string): Element[] {
  return [...parent.children].filter((c) => c.localName === name);
}

function text(element: Element | undefined): string {
  return element?.textContent?.trim() ?? '';
}

export function readFormWords(xml: string, parser: DOMParser = new DOMParser()): FormWords | null {
  const doc = parser.parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return null;
  const all = (name: string): Element[] => [...doc.getElementsByTagNameNS(XFORMS, name)];
  const title = text(doc.getElementsByTagNameNS('http://www.w3.org/1999/xhtml', 'title')[0]);
  const primary = all('instance').find((i) => !i.hasAttribute('id'));
  const root = primary?.firstElementChild ?? null;
  const formId = root?.getAttribute('id') ?? '';
  if (formId === '') return null;
  const entity = [...doc.getElementsByTagName('entity')].find((e) => e.hasAttribute('dataset'));

  // itext: text id → language code → label
  const itext = new Map<string, Record<string, string>>();
  let defaultLanguage = '';
  for (const translation of all('translation')) {
    const code = languageCode(translation.getAttribute('lang') ?? '');
    if (translation.hasAttribute('default') || defaultLanguage === '') defaultLanguage = code;
    for (const t of childrenNamed(translation, 'text')) {
      const id = t.getAttribute('id') ?? '';
      const value = childrenNamed(t, 'value').find((v) => !v.hasAttribute('form'));
      const labels = itext.get(id) ?? {};
      labels[code] = text(value);
      itext.set(id, labels);
    }
  }
  const labelsOf = (label: Element | undefined, itextId?: string): ChoiceLabels => {
    const ref = label?.getAttribute('ref') ?? '';
    const id = itextId ?? /jr:itext\('([^']+)'\)/.exec(ref)?.[1];
    if (id !== undefined) return itext.get(id) ?? {};
    return { '': text(label) };
  };

  const secondary = new Map<string, Element>();
  for (const instance of all('instance')) {
    const id = instance.getAttribute('id');
    if (id !== null) secondary.set(id, instance);
  }

  const controls = new Map<string, Element>();
  for (const name of ['select1', 'select']) for (const c of all(name)) controls.set(c.getAttribute('ref') ?? '', c);
  const inputs = new Map<string, Element>();
  for (const c of all('input')) inputs.set(c.getAttribute('ref') ?? '', c);

  // The choices of one select control: inline items, or the secondary instance its itemset reads.
  const choicesOf = (control: Element) => {
    const choices = new Map<string, ChoiceLabels>();
    for (const item of childrenNamed(control, 'item')) {
      choices.set(text(childrenNamed(item, 'value')[0]), labelsOf(childrenNamed(item, 'label')[0]));
    }
    const itemset = childrenNamed(control, 'itemset')[0];
    const listId = /instance\('([^']+)'\)/.exec(itemset?.getAttribute('nodeset') ?? '')?.[1];
    const list = listId === undefined ? undefined : secondary.get(listId);
    const columns = new Map<string, Record<string, string>>();
    for (const item of list === undefined ? [] : [...list.getElementsByTagName('item')]) {
      const value = text(childrenNamed(item, 'name')[0]);
      const itextId = text(childrenNamed(item, 'itextId')[0]);
      choices.set(value, labelsOf(childrenNamed(item, 'label')[0], itextId === '' ? undefined : itextId));
      const extra: Record<string, string> = {};
      for (const cell of item.children) {
        if (!['name', 'label', 'itextId'].includes(cell.localName)) extra[cell.localName] = text(cell);
      }
      columns.set(value, extra);
    }
    return { choices, columns };
  };
  const questionChoices = new Map<string, ReadonlyMap<string, ChoiceLabels>>();
  const choiceColumnsByRef = new Map<string, Map<string, Record<string, string>>>();
  for (const [ref, control] of controls) {
    const { choices, columns } = choicesOf(control);
    if (choices.size > 0) questionChoices.set(ref.replace(/^\/[^/]+/, ''), choices);
    if (columns.size > 0) choiceColumnsByRef.set(ref, columns);
  }

  const properties = new Map<string, ReadonlyMap<string, ChoiceLabels>>();
  const dates = new Set<string>();
  const labels = new Map<string, ChoiceLabels>();
  const saved: SavedProperty[] = [];
  const choiceColumns = new Map<string, Map<string, Record<string, string>>>();
  for (const bind of all('bind')) {
    const property = bind.getAttributeNS(ENTITIES, 'saveto') ?? bind.getAttribute('entities:saveto');
    if (property === null || property === '') continue;
    const ref = bind.getAttribute('nodeset') ?? '';
    if (/(^|:)date$/.test(bind.getAttribute('type') ?? '')) dates.add(property);
    const asked = controls.get(ref) ?? inputs.get(ref);
    if (asked !== undefined && !labels.has(property)) labels.set(property, labelsOf(childrenNamed(asked, 'label')[0]));
    const control = controls.get(ref);
    const bindType = (bind.getAttribute('type') ?? 'string').replace(/^xsd:/, '');
    saved.push({
      property,
      type:
        control === undefined
          ? (bindTypes[bindType] ?? bindType)
          : control.localName === 'select1'
            ? 'select_one'
            : 'select_multiple',
    });
    const choices = questionChoices.get(ref.replace(/^\/[^/]+/, ''));
    if (choices !== undefined) properties.set(property, choices);
    const columns = choiceColumnsByRef.get(ref);
    if (columns !== undefined) choiceColumns.set(property, columns);
  }
  return {
    formId,
    title,
    dataset: entity?.getAttribute('dataset') ?? null,
    creates: entity?.hasAttribute('create') ?? false,
    defaultLanguage,
    properties,
    dates,
    labels,
    saved,
    choiceColumns,
    questionChoices,
  };
}

/** Every form of a project, read together. */
export interface ProjectVocabulary {
  /** The title of a form by its id, or undefined for a form the device does not hold. */
  formTitle(formId: string): string | undefined;
  /**
   * The label of a case's status in `language`: from the forms that save a `…status` property of
   * the case's list; in the form's default language when it has none in `language`; undefined
   * when no form names that value.
   */
  statusLabel(list: string, status: string, language: string): { label: string; inLanguage: boolean } | undefined;
  /** The entity lists the project's forms create or update. */
  lists(): readonly string[];
  /** The properties of `list` that the project's forms save from a date question. */
  dateProperties(list: string): ReadonlySet<string>;
  /** The label of the question that saves `property` of `list`, in `language` or the form's own. */
  propertyLabel(list: string, property: string, language: string): string | undefined;
  /** The label of `value` of a select property of `list`, as statusLabel does for statuses. */
  choiceLabel(list: string, property: string, value: string, language: string): string | undefined;
  /** The forms themselves, for what reads their fields (the case list's search schema). */
  readonly forms: readonly FormWords[];
}

export function projectVocabulary(forms: readonly FormWords[]): ProjectVocabulary {
  return {
    forms,
    formTitle: (formId) => forms.find((f) => f.formId === formId)?.title,
    statusLabel(list, status, language) {
      let fallback: string | undefined;
      for (const form of forms) {
        if (form.dataset !== list) continue;
        for (const [property, choices] of form.properties) {
          if (property !== 'status' && !property.endsWith('_status')) continue;
          const labels = choices.get(status);
          if (labels === undefined) continue;
          const label = labels[language];
          if (label !== undefined && label !== '') return { label, inLanguage: true };
          fallback ??= labels[form.defaultLanguage] ?? labels[''] ?? Object.values(labels).find((l) => l !== '');
        }
      }
      return fallback === undefined ? undefined : { label: fallback, inLanguage: false };
    },
    lists: () => [...new Set(forms.flatMap((f) => (f.dataset === null ? [] : [f.dataset])))],
    dateProperties(list) {
      const found = new Set<string>();
      for (const form of forms) if (form.dataset === list) for (const p of form.dates) found.add(p);
      return found;
    },
    propertyLabel(list, property, language) {
      for (const form of forms) {
        const labels = form.dataset === list ? form.labels.get(property) : undefined;
        if (labels !== undefined) return inLanguage(labels, language, form.defaultLanguage);
      }
      return undefined;
    },
    choiceLabel(list, property, value, language) {
      for (const form of forms) {
        const labels = form.dataset === list ? form.properties.get(property)?.get(value) : undefined;
        if (labels !== undefined) return inLanguage(labels, language, form.defaultLanguage);
      }
      return undefined;
    },
  };
}

/** A label in `language`, else the form's default language, else any it has. */
export function inLanguage(labels: ChoiceLabels, language: string, defaultLanguage: string): string | undefined {
  const label =
    labels[language] ?? labels[defaultLanguage] ?? labels[''] ?? Object.values(labels).find((l) => l !== '');
  return label === '' ? undefined : label;
}

export const emptyVocabulary: ProjectVocabulary = projectVocabulary([]);

/** Loads the words of a project's published forms (the device's copies when offline); none on failure. */
export async function loadProjectVocabulary(
  api: { listForms(projectId: string): Promise<readonly { formId: string; version: string }[]> } & {
    getFormXml(projectId: string, formId: string, version: string): Promise<string>;
  },
  projectId: string,
): Promise<ProjectVocabulary> {
  try {
    const forms = await api.listForms(projectId);
    const xmls = await Promise.all(forms.map((f) => api.getFormXml(projectId, f.formId, f.version).catch(() => null)));
    const parser = new DOMParser();
    return projectVocabulary(xmls.flatMap((xml) => (xml === null ? [] : (readFormWords(xml, parser) ?? []))));
  } catch {
    return emptyVocabulary;
  }
}
