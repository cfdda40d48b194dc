import { parseGeoValue } from '../geo/geoValue.js';
import type { PolicyActor, PolicyRecord } from './actor.js';
import { grantAllows, grantReaches } from './can.js';
import type { AreaLabel, LocationPrecision } from './locationPrecision.js';
import { coarsenLocation, finerPrecision } from './locationPrecision.js';
import { projectGrants } from './projectGrants.js';
import type { FieldView } from './roles.js';
import type { CatalogueField, PolicyCatalogue, SensitivityClass } from './sensitivity.js';
import { sensitivityClasses } from './sensitivity.js';

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

/** A record as it may leave the server for this actor. */
export type RedactedRecord<T extends PolicyRecord> = Omit<T, 'label' | 'properties' | 'data' | 'areaPath'> & {
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
 * submission. Only `label`, `areaPath`, `properties` and `data` are looked at: a caller must not
 * carry payload in any other field (never the submission XML).
 *
 * Throws when `can(actor, 'cases.read', record)` would deny: redaction is not an access check.
 */
export function redact<T extends PolicyRecord>(actor: PolicyActor, record: T, catalogue: PolicyCatalogue): Redacted<T> {
  const view = readerView(actor, record);
  if (view === null) throw new Error('redact() was called for a record the actor may not read; call can() first');
  const walker = new Walker(view, catalogue, areaAt(record.areaPath, view.location, catalogue));
  const { label, properties, data, areaPath, ...envelope } = record;
  const out = { ...envelope, areaPath: walker.areaPath(areaPath) } as RedactedRecord<T>;
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
  let view: FieldView | null = null;
  for (const grant of projectGrants(actor, record.projectId)) {
    if (!grantAllows(grant, 'cases.read', record) || !grantReaches(grant, record, actor.userId)) continue;
    view = view === null ? grant.view : mergeViews(view, grant.view);
  }
  return view;
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
  ) {}

  areaPath(path: string | null): string | null {
    if (path === null) return null;
    const precision = this.view.location;
    if (this.view.show.location && (precision === 'exact' || (typeof precision === 'object' && 'grid' in precision))) {
      return path;
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
    const cls = this.catalogue.labelClass;
    // A label is text: it can be shown or hidden, never coarsened.
    if (this.view.show[cls] && (cls !== 'location' || this.view.location === 'exact')) return label;
    this.mark('/label', null, cls, 'hidden');
    return null;
  }

  properties(properties: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(properties)) {
      const entry = this.catalogue.properties.get(key);
      this.leaf(out, key, value, `/properties/${escapePointer(key)}`, entry ?? unknownField(value));
    }
    return out;
  }

  data(data: Readonly<Record<string, unknown>>): Record<string, unknown> {
    return this.group(data, [], '/data');
  }

  private group(
    value: Readonly<Record<string, unknown>>,
    path: readonly string[],
    pointer: string,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, key];
      const fieldPath = childPath.join('/');
      const childPointer = `${pointer}/${escapePointer(key)}`;
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
          if (isPlainObject(item)) items.push(this.group(item, childPath, `${childPointer}/${index}`));
          else this.leafInto(items, item, `${childPointer}/${index}`, entry ?? unknownField(item));
        });
        put(out, key, items);
      } else if (isPlainObject(child) && (entry !== undefined || parseGeoValue(child) === null)) {
        put(out, key, this.group(child, childPath, childPointer));
      } else {
        this.leaf(out, key, child, childPointer, metaField(childPath, this.catalogue) ?? unknownField(child));
      }
    }
    return out;
  }

  private leaf(
    out: Record<string, unknown>,
    key: string,
    value: unknown,
    pointer: string,
    field: CatalogueField,
  ): void {
    const result = this.apply(value, pointer, field);
    if (result.keep) put(out, key, result.value);
  }

  private leafInto(out: unknown[], value: unknown, pointer: string, field: CatalogueField): void {
    const result = this.apply(value, pointer, field);
    // Keep positions in a repeat stable: a removed item becomes null.
    out.push(result.keep ? result.value : null);
  }

  private apply(value: unknown, pointer: string, field: CatalogueField): { keep: boolean; value: unknown } {
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
    pointer: string,
    field: string | null,
    cls: SensitivityClass,
    action: 'hidden' | 'coarsened',
    precision?: LocationPrecision,
  ): void {
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
function metaField(path: readonly string[], catalogue: PolicyCatalogue): CatalogueField | undefined {
  if (path[0] !== 'meta' || path.length < 2) return undefined;
  const last = path[path.length - 1];
  const isName = last === 'instanceName' || (path.length === 3 && path[1] === 'entity' && last === 'label');
  if (isName) return { path: path.join('/'), type: 'text', class: catalogue.labelClass, geo: false };
  return path.length === 2 || path[1] === 'entity'
    ? { path: path.join('/'), type: 'meta', class: 'normal', geo: false }
    : undefined;
}

function put(out: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty, so a key named `__proto__` in stored JSON stays data and cannot reach the prototype.
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) put(out, k, cloneJson(v));
    return out;
  }
  return value;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
