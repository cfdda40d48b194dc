import type { EntitiesSpec, FieldInfo } from '../xlsform/types.js';
import { formEntityLists } from '../entities/entityDeclaration.js';
import type { AreaLabel } from './locationPrecision.js';

/**
 * The sensitivity classes of the XLSForm `sensitivity` column. `identifying`: who a person is
 * (names, register numbers, phones, informants); `sensitive`: what must not be known about them
 * (health, disability, abuse flags, income); `location`: where they or a sighting are; `normal`:
 * everything else.
 */
export const sensitivityClasses = ['normal', 'location', 'sensitive', 'identifying'] as const;
export type SensitivityClass = (typeof sensitivityClasses)[number];

const geoTypes = new Set(['geopoint', 'geotrace', 'geoshape', 'start-geopoint']);

/**
 * The class of a field from its raw column value (the compiler has already applied the form's
 * `default_sensitivity`). A value nobody recognises is treated as `identifying`, the class the
 * fewest roles see: a typo in a spreadsheet must not publish a field.
 */
export function sensitivityClassOf(raw: string | null | undefined): SensitivityClass {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '') return 'normal';
  return (sensitivityClasses as readonly string[]).includes(value) ? (value as SensitivityClass) : 'identifying';
}

/** One field of the catalogue as the policy sees it. */
export interface CatalogueField {
  /** Instance path below the root element, repeat indices left out: `household/location`. */
  path: string;
  type: string;
  class: SensitivityClass;
  /** Holds coordinates: coarsened by location precision whatever its class. */
  geo: boolean;
}

/** An area as redaction needs it: to name a record's area at a level without coordinates. */
export interface AreaRef extends AreaLabel {
  id: string;
  /** 1 for a root area, 2 for its children...: how fine the area is. Unknown depth counts as finest. */
  depth?: number;
}

/** What `redact` and `checkWrite` know about a project's forms and areas. */
export interface PolicyCatalogue {
  /** Submission data fields, keyed by `CatalogueField.path`. */
  fields: ReadonlyMap<string, CatalogueField>;
  /** Entity properties, keyed by property name (the `save_to` column). */
  properties: ReadonlyMap<string, CatalogueField>;
  /**
   * Class of an entity list's label, by list name, from the fields the label expressions of the
   * forms that create its entities read, following calculates to the fields they read in turn (a
   * label computed from names is identifying). A list no published form labels is absent: see
   * `labelClassOf`.
   */
  labelClasses: ReadonlyMap<string, SensitivityClass>;
  /** Class of a submission's instance name; `identifying` when no form declares `instance_name`. */
  instanceNameClass: SensitivityClass;
  /** Areas by id, to report a record's area at a level (`{ areaLevel }` precision). */
  areas: ReadonlyMap<string, AreaRef>;
  /** Areas by code: a value that is an area code names a place (see `redact`). */
  areaCodes: ReadonlyMap<string, AreaRef>;
  /** Depth of the project's finest areas (khoroo, bag): 0 when the catalogue has no areas. */
  finestAreaDepth: number;
  /** Depth of each area level (`district` → 2). */
  areaLevelDepths: ReadonlyMap<string, number>;
}

/**
 * The class of an entity list's label. A list whose label no published form declares (seeded or
 * imported caseloads, projects with follow-up forms only) gets `identifying`: labels are names
 * more often than not, and what the policy does not know it treats as the strictest class.
 */
export function labelClassOf(catalogue: PolicyCatalogue, listName: string | null): SensitivityClass {
  return (listName === null ? undefined : catalogue.labelClasses.get(listName)) ?? 'identifying';
}

/** The part of a compiled form the catalogue reads (a `FormSummary` fits). */
export interface CatalogueForm {
  fields: readonly FieldInfo[];
  entities?: EntitiesSpec | null;
  entityLists?: EntitiesSpec[];
  /** The `instance_name` expression: a submission's display name, often built from names. */
  instanceName?: string | null;
  /**
   * The `calculate` expression of each computed field, by instance path (from the XForm's binds):
   * a label or instance name that reads a calculate reads what the calculate reads.
   */
  calculations?: Readonly<Record<string, string>>;
}

/**
 * Builds the catalogue for a set of forms (every version of every form that feeds the records in
 * question). When two forms disagree about a path or property, the stricter class wins, so a field
 * marked identifying in any version stays identifying.
 */
export function policyCatalogue(forms: readonly CatalogueForm[], areas: Iterable<AreaRef> = []): PolicyCatalogue {
  const fields = new Map<string, CatalogueField>();
  const properties = new Map<string, CatalogueField>();
  const byInstancePath = new Map<string, CatalogueField>();
  const labelClasses = new Map<string, SensitivityClass>();
  let instanceNameClass: SensitivityClass | null = null;
  for (const form of forms) {
    for (const info of form.fields) {
      const entry: CatalogueField = {
        path: relativePath(info.path),
        type: info.type,
        class: sensitivityClassOf(info.sensitivity),
        geo: geoTypes.has(info.type),
      };
      merge(fields, entry.path, entry);
      byInstancePath.set(info.path, stricterField(byInstancePath.get(info.path), entry));
      if (info.saveTo !== null) merge(properties, info.saveTo, { ...entry, path: info.saveTo });
    }
    const calculations = form.calculations ?? {};
    for (const spec of formEntityLists(form)) {
      if (!spec.label) continue;
      const cls = expressionClass(absoluteLabel(spec.label, spec.repeat ?? null), byInstancePath, calculations);
      const before = labelClasses.get(spec.dataset);
      labelClasses.set(spec.dataset, before === undefined ? cls : stricterClass(before, cls));
    }
    if (form.instanceName) {
      const cls = expressionClass(form.instanceName, byInstancePath, calculations);
      instanceNameClass = instanceNameClass === null ? cls : stricterClass(instanceNameClass, cls);
    }
  }
  const areaList = [...areas];
  const areaLevelDepths = new Map<string, number>();
  let finestAreaDepth = 0;
  for (const area of areaList) {
    if (area.depth === undefined) continue;
    finestAreaDepth = Math.max(finestAreaDepth, area.depth);
    areaLevelDepths.set(area.level, Math.min(areaLevelDepths.get(area.level) ?? area.depth, area.depth));
  }
  return {
    fields,
    properties,
    labelClasses,
    instanceNameClass: instanceNameClass ?? 'identifying',
    areas: new Map(areaList.map((a) => [a.id, a])),
    areaCodes: new Map(areaList.map((a) => [a.code, a])),
    finestAreaDepth,
    areaLevelDepths,
  };
}

/**
 * The strictest class among the fields an expression reads (`normal` for a constant), and, for a
 * field that is a calculate, among the fields its calculation reads, transitively (each calculate
 * followed once, so a cycle ends).
 */
function expressionClass(
  expression: string,
  byInstancePath: ReadonlyMap<string, CatalogueField>,
  calculations: Readonly<Record<string, string>>,
  followed: Set<string> = new Set(),
): SensitivityClass {
  let cls: SensitivityClass = 'normal';
  for (const [path, field] of byInstancePath) {
    if (!referencesPath(expression, path)) continue;
    cls = stricterClass(cls, field.class);
    const calculation = calculations[path];
    if (calculation !== undefined && !followed.has(path)) {
      followed.add(path);
      cls = stricterClass(cls, expressionClass(calculation, byInstancePath, calculations, followed));
    }
  }
  return cls;
}

/** The catalogue entry for a field path (`household/location` or `/data/household/location`). */
export function catalogueField(catalogue: PolicyCatalogue, path: string): CatalogueField | undefined {
  return catalogue.fields.get(path.startsWith('/') ? relativePath(path) : path);
}

// Under the default roles `identifying` is hidden from the most roles, then `sensitive`, then
// `location` (coarsened rather than hidden), then `normal`.
const strictness: Record<SensitivityClass, number> = { normal: 0, location: 1, sensitive: 2, identifying: 3 };

export function stricterClass(a: SensitivityClass, b: SensitivityClass): SensitivityClass {
  return strictness[a] >= strictness[b] ? a : b;
}

function stricterField(a: CatalogueField | undefined, b: CatalogueField): CatalogueField {
  if (!a) return b;
  return { ...b, class: stricterClass(a.class, b.class), geo: a.geo || b.geo };
}

function merge(map: Map<string, CatalogueField>, key: string, entry: CatalogueField): void {
  map.set(key, stricterField(map.get(key), entry));
}

/** `/data/household/name` → `household/name` (the root element's name varies by form). */
function relativePath(instancePath: string): string {
  const parts = instancePath.split('/').filter((p) => p !== '');
  return parts.slice(1).join('/');
}

function referencesPath(expression: string, path: string): boolean {
  let from = 0;
  for (;;) {
    const at = expression.indexOf(path, from);
    if (at < 0) return false;
    const next = expression[at + path.length];
    // `/data/name` must not match inside `/data/name_other`.
    if (next === undefined || !/[A-Za-z0-9_.\-/]/.test(next)) return true;
    from = at + 1;
  }
}

/**
 * A label made in a repeat refers to its own instance relatively (`../../../member_name`, from
 * `<repeat>/meta/entity/label`); written absolutely it is classed like any other expression.
 */
function absoluteLabel(label: string, repeat: string | null): string {
  if (repeat === null) return label;
  const base = `${repeat}/meta/entity/label`.split('/');
  return label.replace(/(?:\.\.\/)+[A-Za-z_][\w.-]*(?:\/[A-Za-z_][\w.-]*)*/g, (path) => {
    const ups = path.split('../').length - 1;
    return `${base.slice(0, base.length - ups).join('/')}/${path.replace(/^(?:\.\.\/)+/, '')}`;
  });
}
