import type { DenialReason, PolicyActor, PolicyRecord, RecordKind } from './actor.js';
import { can, grantAllows, grantReaches } from './can.js';
import type { Grant } from './projectGrants.js';
import { projectGrants } from './projectGrants.js';
import type { Capability, FieldView } from './roles.js';
import type { CatalogueField, PolicyCatalogue } from './sensitivity.js';
import { finerPrecision } from './locationPrecision.js';
import { labelClassOf } from './sensitivity.js';

/** What a write is about: a record kind, or a project membership (role and scope of a user). */
export type WriteKind = RecordKind | 'membership';

/** Envelope fields a client may ask to change, and the capability each needs. */
const envelopeRules: Record<WriteKind, Readonly<Record<string, Capability>>> = {
  entity: {
    label: 'cases.write',
    status: 'cases.write',
    categories: 'cases.write',
    assigneeId: 'cases.assign',
    team: 'cases.assign',
    areaPath: 'cases.assign',
  },
  // Submissions and attachments are immutable once sent: their envelope comes from the server.
  submission: {},
  attachment: {},
  membership: { role: 'users.manage', scopes: 'users.manage' },
};

/** Where a kind keeps its form answers, and whether they may be written at all. */
const payloadKey: Record<WriteKind, 'properties' | 'data' | null> = {
  entity: 'properties',
  submission: 'data',
  attachment: null,
  membership: null,
};

/** Changes a client sends: envelope fields by name, answers under `properties` or `data`. */
export type RecordChanges = Readonly<Record<string, unknown>>;

export interface WritableFields {
  /** Envelope fields this actor may change. Owner (`createdBy`), ids, project and list never are. */
  envelope: readonly string[];
  /** Where answers go (`properties` / `data`), or null when this actor may write none. */
  payload: 'properties' | 'data' | null;
}

export type WriteCheck =
  | { ok: true }
  /** `fields` are JSON pointers (`/assigneeId`, `/properties/head_name`); empty unless reason is `fields` or `scope`. */
  | { ok: false; reason: DenialReason | 'fields'; fields: string[] };

/**
 * The allow-list of a kind for `actor` anywhere in `projectId` (for forms and API docs; a write
 * to one record is checked with `checkWrite`, which only counts memberships reaching it).
 */
export function writableFields(actor: PolicyActor, kind: WriteKind, projectId: string): WritableFields {
  const grants = projectGrants(actor, projectId);
  return allowList(kind, new Set(grants.flatMap((g) => [...g.capabilities])));
}

/**
 * Checks a change to an existing record (mass assignment, S3): the actor must be able to write the
 * record; every envelope field that actually changes must be on its allow-list (`cases.assign`
 * for assignee, team and area); the record must stay within the actor's reach after the change;
 * and every answer must be a field of the form that this actor sees in full (not hidden, not
 * coarsened), so nobody overwrites what they cannot read.
 */
export function checkWrite(
  actor: PolicyActor,
  resource: PolicyRecord,
  changes: RecordChanges,
  catalogue: PolicyCatalogue,
): WriteCheck {
  const decision = can(actor, 'cases.write', resource);
  if (!decision.allowed) return { ok: false, reason: decision.reason, fields: [] };
  const grants = writingGrants(actor, resource);
  const rules = allowList(resource.kind, new Set(grants.flatMap((g) => [...g.capabilities])));
  const offending: string[] = [];
  const moved: string[] = [];
  const after: Record<string, unknown> = { ...resource };
  for (const [key, value] of Object.entries(changes)) {
    if (key === payloadKey[resource.kind] && rules.payload === key) {
      offending.push(...payloadOffences(value, key, catalogue, mergedView(grants)));
      continue;
    }
    const current: unknown = Object.hasOwn(resource, key)
      ? (resource as unknown as Record<string, unknown>)[key]
      : undefined;
    if (sameValue(current, value)) continue;
    if (!rules.envelope.includes(key) || !wellTyped(key, value)) {
      offending.push(`/${key}`);
      continue;
    }
    if (
      key === 'label' &&
      !fullyVisible(
        { path: 'label', type: 'text', class: labelClassOf(catalogue, resource.listName), geo: false },
        mergedView(grants),
      )
    ) {
      offending.push('/label');
      continue;
    }
    after[key] = value;
    if (key === 'assigneeId' || key === 'team' || key === 'areaPath') moved.push(`/${key}`);
  }
  if (offending.length > 0) return { ok: false, reason: 'fields', fields: offending };
  // Moving a record (area, team, assignee) must not put it where the actor could not write it:
  // handing a case outside one's district is a referral, which is a different path.
  if (moved.length > 0 && !can(actor, 'cases.write', after as unknown as PolicyRecord).allowed) {
    return { ok: false, reason: 'scope', fields: moved };
  }
  return { ok: true };
}

/**
 * Checks a record a client creates (a new case, a submission), given as it would be stored —
 * including the area, team and assignee the server derives from its answers. The actor must be
 * able to write it there, must be its creator, may assign it only to itself unless it holds
 * `cases.assign`, and may send only answers it sees in full.
 */
export function checkCreate(actor: PolicyActor, record: PolicyRecord, catalogue: PolicyCatalogue): WriteCheck {
  const decision = can(actor, 'cases.write', record);
  if (!decision.allowed) return { ok: false, reason: decision.reason, fields: [] };
  const grants = writingGrants(actor, record);
  const offending: string[] = [];
  if (record.createdBy !== actor.userId) offending.push('/createdBy');
  const assigns = grants.some((g) => g.capabilities.has('cases.assign'));
  if (record.assigneeId !== null && record.assigneeId !== actor.userId && !assigns) offending.push('/assigneeId');
  const key = payloadKey[record.kind];
  if (key !== null && record[key] !== undefined) {
    offending.push(...payloadOffences(record[key], key, catalogue, mergedView(grants)));
  }
  return offending.length > 0 ? { ok: false, reason: 'fields', fields: offending } : { ok: true };
}

function allowList(kind: WriteKind, capabilities: ReadonlySet<Capability>): WritableFields {
  const envelope = Object.entries(envelopeRules[kind])
    .filter(([, needs]) => capabilities.has(needs))
    .map(([field]) => field);
  const payload = payloadKey[kind] !== null && capabilities.has('cases.write') ? payloadKey[kind] : null;
  return { envelope, payload };
}

function writingGrants(actor: PolicyActor, record: PolicyRecord): Grant[] {
  return projectGrants(actor, record.projectId).filter(
    (g) => grantAllows(g, 'cases.write', record) && grantReaches(g, record, actor.userId),
  );
}

/** The union of what these grants show (shared with canSubmitForm). */
export function mergedView(grants: readonly Grant[]): FieldView {
  let view: FieldView = {
    show: { normal: false, location: false, sensitive: false, identifying: false },
    location: 'hidden',
  };
  for (const g of grants) {
    view = {
      show: {
        normal: view.show.normal || g.view.show.normal,
        location: view.show.location || g.view.show.location,
        sensitive: view.show.sensitive || g.view.show.sensitive,
        identifying: view.show.identifying || g.view.show.identifying,
      },
      location: finerPrecision(view.location, g.view.location),
    };
  }
  return view;
}

function payloadOffences(
  value: unknown,
  key: 'properties' | 'data',
  catalogue: PolicyCatalogue,
  view: FieldView,
): string[] {
  if (!isPlainObject(value)) return [`/${key}`];
  if (key === 'properties') {
    return Object.entries(value)
      .filter(([name]) => !fullyVisible(catalogue.properties.get(name), view))
      .map(([name]) => `/properties/${escapePointer(name)}`);
  }
  const offences: string[] = [];
  walkData(value, [], '/data', catalogue, view, offences);
  return offences;
}

function walkData(
  group: Record<string, unknown>,
  path: readonly string[],
  pointer: string,
  catalogue: PolicyCatalogue,
  view: FieldView,
  offences: string[],
): void {
  for (const [key, value] of Object.entries(group)) {
    const childPath = [...path, key];
    const childPointer = `${pointer}/${escapePointer(key)}`;
    // The client writes the meta group itself (instanceID, deprecatedID, entity ids).
    if (childPath[0] === 'meta') continue;
    const entry = catalogue.fields.get(childPath.join('/'));
    if (entry && (entry.geo || !(isPlainObject(value) || Array.isArray(value)))) {
      if (!fullyVisible(entry, view)) offences.push(childPointer);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (isPlainObject(item)) walkData(item, childPath, `${childPointer}/${index}`, catalogue, view, offences);
        else if (!fullyVisible(entry, view)) offences.push(`${childPointer}/${index}`);
      });
    } else if (isPlainObject(value)) {
      walkData(value, childPath, childPointer, catalogue, view, offences);
    } else {
      offences.push(childPointer);
    }
  }
}

/** Whether `view` shows the field in full: not hidden, and at exact precision for locations. */
export function fullyVisible(field: CatalogueField | undefined, view: FieldView): boolean {
  if (!field) return false;
  if (!view.show[field.class]) return false;
  return (!field.geo && field.class !== 'location') || view.location === 'exact';
}

// Scope fields feed prefix and equality tests; anything but a string or null is refused here
// rather than trusted to a schema elsewhere.
function wellTyped(key: string, value: unknown): boolean {
  if (key === 'assigneeId' || key === 'team' || key === 'label') return value === null || typeof value === 'string';
  if (key === 'areaPath') return value === null || (typeof value === 'string' && /^\/(?:[^/]+\/)*$/.test(value));
  if (key === 'status') return typeof value === 'string';
  if (key === 'categories') return Array.isArray(value) && value.every((c) => typeof c === 'string');
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
