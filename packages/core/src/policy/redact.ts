import { parseGeoValue } from '../geo/geoValue.js';
import type { PolicyActor, PolicyRecord } from './actor.js';
import { grantAllows, grantReaches } from './can.js';
import type { AreaLabel, LocationPrecision } from './locationPrecision.js';
import { coarsenLocation, finerPrecision } from './locationPrecision.js';
import type { Grant } from './projectGrants.js';
import { projectGrants } from './projectGrants.js';
import type { FieldView } from './roles.js';
import type { AreaRef, CatalogueField, PolicyCatalogue, SensitivityClass } from './sensitivity.js';
import { labelClassOf, sensitivityClasses } from './sensitivity.js';

/** One value that redaction removed or coarsened, so a UI can say "hidden" in its place. */
export interface RedactionMark {
  /** JSON pointer into the record: `/properties/head_name`, `/data/members/0/name`, `/label`. */
  pointer: string;
  /** Catalogue path or property name (no repeat indices); null when the catalogue does not know it. */
  field: string | null;
  class: SensitivityClass;
  action: 'hidden' | 'coarsened';
  /** The precision applied, for coarsened values. */
  precision?: LocationPrecision;
}

/** The envelope keys the policy decides access by: they leave with the record as they are. */
type StructuralKey = 'kind' | 'id' | 'projectId' | 'listName' | 'team' | 'assigneeId' | 'createdBy' | 'fieldClass';

/**
 * The class of every other value a record may carry besides its payload. A key that is not here
 * gets `sensitive`: a property added to records later stays hidden from the roles that do not
 * see sensitive values until someone gives it a class on purpose.
 */
export const carriedValueClasses: Readonly<Record<string, SensitivityClass>> = {
  status: 'normal',
  conflict: 'normal',
  version: 'normal',
  createdAt: 'normal',
  updatedAt: 'normal',
  // Vulnerability categories (domestic violence, disability...): what must not be known about a person.
  categories: 'sensitive',
};

const structuralKeys: ReadonlySet<string> = new Set<StructuralKey>([
  'kind',
  'id',
  'projectId',
  'listName',
  'team',
  'assigneeId',
  'createdBy',
  'fieldClass',
]);

/** A record as it may leave the server for this actor: carried values may have been removed. */
export type RedactedRecord<T extends PolicyRecord> = Pick<T, StructuralKey & keyof T> &
  Partial<Omit<T, StructuralKey | 'label' | 'properties' | 'data' | 'areaPath'>> & {
    areaPath: string | null;
    label?: string | null;
    properties?: Record<string, unknown>;
    data?: Record<string, unknown>;
  };

export interface Redacted<T extends PolicyRecord> {
  record: RedactedRecord<T>;
  marks: RedactionMark[];
}

/**
 * Redacts a record for `actor`: removes every value of a class the actor's role may not see,
 * coarsens locations to its precision (dropping altitude and accuracy), and reports each change.
 * Walks entity properties and submission data, groups and repeats included; never mutates its
 * input nor shares nested objects with it. Values the catalogue does not know are treated as
 * `identifying` (and coarsened when they hold coordinates), except the `meta` group of a
 * submission. Any other value the record carries (`status`, `categories`...) is shown or removed
 * by its class in `carriedValueClasses`, `sensitive` when it has none. Never carry the submission
 * XML in a record.
 *
 * Throws when `can(actor, 'cases.read', record)` would deny: redaction is not an access check.
 */
export function redact<T extends PolicyRecord>(actor: PolicyActor, record: T, catalogue: PolicyCatalogue): Redacted<T> {
  return redactorFor(actor, record.projectId, catalogue)(record);
}

/** `redact` for the records of one project, as one actor reads them with one catalogue. */
export type Redactor = <T extends PolicyRecord>(record: T) => Redacted<T>;

/**
 * `redact` for many records of one project (a sync page, a case list): the actor's grants in the
 * project are worked out once rather than for every record. Throws, as `redact` does, for a record
 * the actor may not read, and for a record of another project.
 */
export function redactorFor(actor: PolicyActor, projectId: string, catalogue: PolicyCatalogue): Redactor {
  const viewOf = viewerFor(actor, projectId);
  return <T extends PolicyRecord>(record: T): Redacted<T> => {
    const view = viewOf(record);
    if (view === null) throw new Error('redact() was called for a record the actor may not read; call can() first');
    return redactWithView(view, catalogue, record);
  };
}

/**
 * The view `redactorFor` applies to each record of one project: the most generous view among the
 * actor's memberships that can read the record, or null when none can. Together with the catalogue
 * and the record it is everything a redaction depends on (not the actor itself), so a server may
 * keep a record's redaction for every reader with the same view (see `fieldViewKey`).
 */
export function viewerFor(actor: PolicyActor, projectId: string): (record: PolicyRecord) => FieldView | null {
  const grants = projectGrants(actor, projectId);
  return (record) => {
    if (record.projectId !== projectId) throw new Error('redactorFor() was given a record of another project');
    return viewAmong(grants, record, actor.userId);
  };
}

/** Text that two views share exactly when they redact alike (a cache key). */
export function fieldViewKey(view: FieldView): string {
  let key = '';
  for (const cls of sensitivityClasses) key += view.show[cls] ? '1' : '0';
  const precision = view.location;
  return `${key}:${typeof precision === 'string' ? precision : JSON.stringify(precision)}`;
}

/** `redact` with the view already worked out (`viewerFor`): what `redactorFor` does per record. */
export function redactWithView<T extends PolicyRecord>(
  view: FieldView,
  catalogue: PolicyCatalogue,
  record: T,
): Redacted<T> {
  if (seesEverything(view)) return { record: copied(record), marks: [] };
  const walker = new Walker(view, catalogue, areaAt(record.areaPath, view.location, catalogue), record.listName);
  const { label, properties, data, areaPath } = record;
  const out = { ...walker.carried(envelopeOf(record)), areaPath: walker.areaPath(areaPath) } as RedactedRecord<T>;
  if (label !== undefined) out.label = walker.label(label);
  if (properties !== undefined) out.properties = walker.properties(properties);
  if (data !== undefined) out.data = walker.data(data);
  return { record: out, marks: walker.marks };
}

/**
 * What the actor is shown of this record: the most generous view among the memberships that can
 * read it, or null when none can. The server uses it to decide e.g. whether a photo's EXIF
 * position must be stripped.
 */
export function readerView(actor: PolicyActor, record: PolicyRecord): FieldView | null {
  return viewAmong(projectGrants(actor, record.projectId), record, actor.userId);
}

function viewAmong(grants: readonly Grant[], record: PolicyRecord, userId: string): FieldView | null {
  let view: FieldView | null = null;
  for (const grant of grants) {
    if (!grantAllows(grant, 'cases.read', record) || !grantReaches(grant, record, userId)) continue;
    view = view === null ? grant.view : mergeViews(view, grant.view);
  }
  return view;
}

/** A view that shows every class at exact precision: redaction keeps every value as it is. */
function seesEverything(view: FieldView): boolean {
  return view.location === 'exact' && sensitivityClasses.every((cls) => view.show[cls]);
}

/**
 * The record as the walker gives it to a view that `seesEverything`: every value kept, copied,
 * in the same shape (envelope, then areaPath, label, properties, data).
 */
function copied<T extends PolicyRecord>(record: T): RedactedRecord<T> {
  const { label, properties, data, areaPath } = record;
  const out = { ...(cloneJson(envelopeOf(record)) as Record<string, unknown>), areaPath } as RedactedRecord<T>;
  if (label !== undefined) out.label = label;
  if (properties !== undefined) out.properties = cloneJson(properties) as Record<string, unknown>;
  if (data !== undefined) out.data = cloneJson(data) as Record<string, unknown>;
  return out;
}

const bodyKeys: ReadonlySet<string> = new Set(['label', 'properties', 'data', 'areaPath']);

/**
 * The record without its label, answers and area path: what `{ label, ..., ...envelope }` gives,
 * built by hand (object rest with excluded keys was most of a sync page's redaction time in V8).
 */
function envelopeOf(record: PolicyRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (!bodyKeys.has(key)) put(out, key, value);
  return out;
}

function mergeViews(a: FieldView, b: FieldView): FieldView {
  const show = { ...a.show };
  for (const cls of sensitivityClasses) show[cls] = a.show[cls] || b.show[cls];
  return { show, location: finerPrecision(a.location, b.location) };
}

/** The record's area at the precision's level, named without coordinates. */
function areaAt(areaPath: string | null, precision: LocationPrecision, catalogue: PolicyCatalogue): AreaLabel | null {
  if (typeof precision !== 'object' || !('areaLevel' in precision)) return null;
  const ancestor = ancestorAt(areaPath, precision.areaLevel, catalogue);
  return ancestor === null ? null : ancestor.label;
}

function ancestorAt(
  areaPath: string | null,
  level: string,
  catalogue: PolicyCatalogue,
): { path: string; label: AreaLabel } | null {
  if (areaPath === null) return null;
  const ids = areaPath.split('/').filter((s) => s !== '');
  for (let i = 0; i < ids.length; i++) {
    const area = catalogue.areas.get(ids[i] ?? '');
    if (area && area.level === level) {
      return {
        path: `/${ids.slice(0, i + 1).join('/')}/`,
        label: { level: area.level, code: area.code, name: area.name },
      };
    }
  }
  return null;
}

class Walker {
  readonly marks: RedactionMark[] = [];

  constructor(
    private readonly view: FieldView,
    private readonly catalogue: PolicyCatalogue,
    private readonly area: AreaLabel | null,
    private readonly listName: string | null,
  ) {}

  /** The envelope without the carried values whose class the actor is not shown. */
  carried(envelope: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(envelope)) {
      const cls = structuralKeys.has(key) ? 'normal' : (carriedValueClasses[key] ?? 'sensitive');
      if (this.view.show[cls]) put(out, key, cloneJson(value));
      else this.mark(`/${escapePointer(key)}`, null, cls, 'hidden');
    }
    return out;
  }

  areaPath(path: string | null): string | null {
    if (path === null) return null;
    const precision = this.view.location;
    if (this.view.show.location && precision === 'exact') return path;
    if (this.view.show.location && typeof precision === 'object' && 'grid' in precision) {
      // A grid cell says roughly where; the finest area (the khoroo, the bag) would say more, as
      // the hidden address fields would: the path stops above it.
      const kept = coarserThanFinest(path, this.catalogue);
      if (kept !== null) {
        if (kept !== path) this.mark('/areaPath', null, 'location', 'coarsened', precision);
        return kept;
      }
    }
    if (this.view.show.location && typeof precision === 'object' && 'areaLevel' in precision) {
      const ancestor = ancestorAt(path, precision.areaLevel, this.catalogue);
      if (ancestor !== null) {
        if (ancestor.path !== path) this.mark('/areaPath', null, 'location', 'coarsened', precision);
        return ancestor.path;
      }
    }
    this.mark('/areaPath', null, 'location', 'hidden');
    return null;
  }

  label(label: string | null): string | null {
    if (label === null) return null;
    const cls = labelClassOf(this.catalogue, this.listName);
    // A label is text: it can be shown or hidden, never coarsened.
    if (this.view.show[cls] && (cls !== 'location' || this.view.location === 'exact')) return label;
    this.mark('/label', null, cls, 'hidden');
    return null;
  }

  properties(properties: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(properties)) {
      const entry = this.catalogue.properties.get(key);
      this.leaf(out, key, value, { up: '/properties', key }, entry ?? unknownField(value));
    }
    return out;
  }

  data(data: Readonly<Record<string, unknown>>): Record<string, unknown> {
    return this.group(data, '', '/data');
  }

  /** `path` is the field path of `value` below the instance root ('' for the root itself). */
  private group(value: Readonly<Record<string, unknown>>, path: string, pointer: Pointer): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const fieldPath = path === '' ? key : `${path}/${key}`;
      const childPointer: Pointer = { up: pointer, key };
      const entry = this.catalogue.fields.get(fieldPath);
      const nested = isPlainObject(child) || Array.isArray(child);
      if (entry && (entry.geo || !nested)) {
        this.leaf(out, key, child, childPointer, entry);
      } else if (entry && !this.view.show[entry.class]) {
        // A group or repeat that carries a class of its own goes as a whole.
        this.mark(childPointer, entry.path, entry.class, 'hidden');
      } else if (Array.isArray(child)) {
        // A repeat: each instance is a group at the same field paths.
        const items: unknown[] = [];
        child.forEach((item, index) => {
          const itemPointer: Pointer = { up: childPointer, key: String(index) };
          if (isPlainObject(item)) items.push(this.group(item, fieldPath, itemPointer));
          else this.leafInto(items, item, itemPointer, entry ?? unknownField(item));
        });
        put(out, key, items);
      } else if (isPlainObject(child) && (entry !== undefined || parseGeoValue(child) === null)) {
        put(out, key, this.group(child, fieldPath, childPointer));
      } else {
        this.leaf(
          out,
          key,
          child,
          childPointer,
          metaField(fieldPath.split('/'), this.catalogue, this.listName) ?? unknownField(child),
        );
      }
    }
    return out;
  }

  private leaf(
    out: Record<string, unknown>,
    key: string,
    value: unknown,
    pointer: Pointer,
    field: CatalogueField,
  ): void {
    const result = this.apply(value, pointer, field);
    if (result.keep) put(out, key, result.value);
  }

  private leafInto(out: unknown[], value: unknown, pointer: Pointer, field: CatalogueField): void {
    const result = this.apply(value, pointer, field);
    // Keep positions in a repeat stable: a removed item becomes null.
    out.push(result.keep ? result.value : null);
  }

  private apply(value: unknown, pointer: Pointer, field: CatalogueField): { keep: boolean; value: unknown } {
    const known = field.path === '' ? null : field.path;
    if (!this.view.show[field.class]) {
      this.mark(pointer, known, field.class, 'hidden');
      return { keep: false, value: undefined };
    }
    const precision = this.view.location;
    if (field.type === unknownType && precision !== 'exact' && !field.geo && value !== null && value !== '') {
      this.mark(pointer, known, field.class, 'hidden');
      return { keep: false, value: undefined };
    }
    // A value that is an area code (a soum, a khoroo picked from the area list) names a place
    // whatever the field's class: it is shown only as far as the role's precision goes.
    const area = typeof value === 'string' && !field.geo ? this.catalogue.areaCodes.get(value) : undefined;
    if (area !== undefined && !areaVisible(area, precision, this.view.show.location, this.catalogue)) {
      this.mark(pointer, known, 'location', 'hidden');
      return { keep: false, value: undefined };
    }
    if (!field.geo && field.class !== 'location') return { keep: true, value: cloneJson(value) };
    const result = coarsenLocation(value, precision, this.area);
    if (result.kind === 'hidden') {
      this.mark(pointer, known, field.class, 'hidden');
      return { keep: false, value: undefined };
    }
    if (result.kind === 'coarsened') this.mark(pointer, known, field.class, 'coarsened', precision);
    return { keep: true, value: cloneJson(result.value) };
  }

  private mark(
    at: Pointer,
    field: string | null,
    cls: SensitivityClass,
    action: 'hidden' | 'coarsened',
    precision?: LocationPrecision,
  ): void {
    const pointer = pointerText(at);
    this.marks.push(
      precision === undefined
        ? { pointer, field, class: cls, action }
        : { pointer, field, class: cls, action, precision },
    );
  }
}

const unknownType = 'unknown';

// A value the catalogue does not know (a form version nobody passed in, a stray property) must
// not leak: it gets the strictest class, and only a role that also sees exact locations gets it
// as it is; for others coordinates (recognised by shape) are coarsened and anything else hidden.
function unknownField(value: unknown): CatalogueField {
  return { path: '', type: unknownType, class: 'identifying', geo: parseGeoValue(value) !== null };
}

// The `meta` group is written by the client (instanceID, deprecatedID, entity ids), except the
// display names, which are built from answers and get the label's class.
function metaField(
  path: readonly string[],
  catalogue: PolicyCatalogue,
  listName: string | null,
): CatalogueField | undefined {
  if (path[0] !== 'meta' || path.length < 2) return undefined;
  const last = path[path.length - 1];
  if (last === 'instanceName' && path.length === 2) {
    return { path: path.join('/'), type: 'text', class: catalogue.instanceNameClass, geo: false };
  }
  if (path.length === 3 && path[1] === 'entity' && last === 'label') {
    return { path: path.join('/'), type: 'text', class: labelClassOf(catalogue, listName), geo: false };
  }
  return path.length === 2 || path[1] === 'entity'
    ? { path: path.join('/'), type: 'meta', class: 'normal', geo: false }
    : undefined;
}

/**
 * The area path without its finest level (and without anything the catalogue cannot place),
 * or null when nothing coarser is left.
 */
function coarserThanFinest(path: string, catalogue: PolicyCatalogue): string | null {
  const kept: string[] = [];
  for (const id of path.split('/').filter((s) => s !== '')) {
    const depth = catalogue.areas.get(id)?.depth;
    if (depth === undefined || depth >= catalogue.finestAreaDepth) break;
    kept.push(id);
  }
  return kept.length === 0 ? null : `/${kept.join('/')}/`;
}

/** Whether an area may be named to a role with this precision (see `Walker.areaPath`). */
function areaVisible(area: AreaRef, precision: LocationPrecision, showsLocation: boolean, catalogue: PolicyCatalogue) {
  if (!showsLocation || precision === 'hidden') return false;
  if (precision === 'exact') return true;
  if ('grid' in precision) return area.depth !== undefined && area.depth < catalogue.finestAreaDepth;
  if (area.level === precision.areaLevel) return true;
  const levelDepth = catalogue.areaLevelDepths.get(precision.areaLevel);
  return area.depth !== undefined && levelDepth !== undefined && area.depth < levelDepth;
}

function put(out: Record<string, unknown>, key: string, value: unknown): void {
  // A key named `__proto__` in stored JSON stays data and cannot reach the prototype: it is the
  // one key whose assignment does not create an own property (the only accessor on Object.prototype).
  if (key === '__proto__')
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/**
 * A JSON pointer, built as text only when a mark needs it (most values are kept unmarked): a
 * finished pointer, or a key below another pointer.
 */
type Pointer = string | { readonly up: Pointer; readonly key: string };

function pointerText(at: Pointer): string {
  return typeof at === 'string' ? at : `${pointerText(at.up)}/${escapePointer(at.key)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) put(out, k, cloneJson(value[k]));
    return out;
  }
  return value;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
