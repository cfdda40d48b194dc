import type { PolicyActor, PolicyCatalogue, PolicyRecord, PropertyJson, RecordProperties } from '@outpost/core';
import { fieldViewKey, propertyJsonOf, redactWithView, viewerFor } from '@outpost/core';
import type { SyncEntityHead, SyncEntityRow } from '../storage/queries/sync.js';
import type { Store } from '../storage/store.js';
import { LruCache } from './lruCache.js';
import { redactRecord } from './syncReach.js';

/** What a pulled case becomes for one view: its properties as sent, and each value's JSON. */
export interface PulledCase {
  readonly properties: Readonly<RecordProperties>;
  readonly values: PropertyJson;
}

/**
 * Every reader with the same view of a case gets the same redaction, and a case is pulled by every
 * device of every worker whose scopes hold it: the process keeps what a case version became for a
 * view, so each is redacted and measured once. A few tens of MB at most (see docs/architecture.md).
 */
export const pulledCaseLimits = { entries: 100_000, bytes: 32 * 1024 * 1024 };
const cache = new LruCache<PulledCase>(pulledCaseLimits);

/** Forgets every kept redaction (tests; an operator never needs it: nothing stale is ever served). */
export function forgetPulledCases(): void {
  cache.clear();
}

/**
 * What each case version of `heads` becomes when `actor` pulls it with this catalogue
 * (`redactRecord`), in their order; null for a version `read` no longer finds (see
 * `entityContents`). Only the versions not kept are read (with `read`) and redacted. Kept in the
 * process by everything the result depends on, and nothing else:
 * - the database (`store`), the project and its catalogue: a published form version or an edited
 *   area list gives a new catalogue object (see `catalogueFor`), hence new keys;
 * - the view the actor gets of the case (`viewerFor`: role, project overrides, which of the
 *   actor's memberships reach it), not who the actor is;
 * - the case version as stored: id and commit seq (every write of an entity takes a new seq), and
 *   its area's path, which an edit of the area list changes without touching the case.
 * Throws, as redaction does, for a case the actor may not read.
 */
export function pulledCasesFor(
  reach: { actor: PolicyActor; projectId: string },
  catalogue: PolicyCatalogue,
  store: Store,
): (
  heads: readonly SyncEntityHead[],
  read: (missing: readonly SyncEntityHead[]) => Promise<readonly SyncEntityRow[]>,
) => Promise<(PulledCase | null)[]> {
  const viewOf = viewerFor(reach.actor, reach.projectId);
  const prefix = `${numberOf(store)}|${numberOf(catalogue)}|${reach.projectId}|`;
  return async (heads, read) => {
    const wanted = heads.map((head) => {
      const view = viewOf(placementOf(reach.projectId, head));
      if (view === null) throw new Error('redact() was called for a record the actor may not read; call can() first');
      const key = `${prefix}${fieldViewKey(view)}|${head.id}|${head.seq}|${head.version}|${head.area_path ?? ''}`;
      return { head, view, key };
    });
    const out = wanted.map(({ key }) => cache.get(key) ?? null);
    const missing = wanted.filter((_, at) => out[at] === null);
    if (missing.length === 0) return out;
    const rows = new Map((await read(missing.map((m) => m.head))).map((row) => [row.id, row]));
    wanted.forEach(({ head, view, key }, at) => {
      const row = rows.get(head.id);
      if (out[at] !== null || row === undefined || row.seq !== head.seq) return;
      const properties = Object.freeze(
        redactRecord(reach, row, <T extends PolicyRecord>(record: T) => redactWithView(view, catalogue, record)),
      );
      const pulled: PulledCase = { properties, values: propertyJsonOf(properties) };
      cache.set(key, pulled, bytesOf(key, pulled.values));
      out[at] = pulled;
    });
    return out;
  };
}

/** What decides which of the actor's memberships reach the case (see core's `grantReaches`). */
function placementOf(projectId: string, row: SyncEntityHead): PolicyRecord {
  return {
    kind: 'entity',
    id: row.id,
    projectId,
    listName: row.list,
    areaPath: row.area_path,
    team: row.team,
    assigneeId: row.assignee_id,
    createdBy: null,
  };
}

// Stores and catalogues by identity: a number each, for as long as the object lives.
const numbers = new WeakMap<object, number>();
let lastNumber = 0;

function numberOf(object: object): number {
  let n = numbers.get(object);
  if (n === undefined) {
    n = ++lastNumber;
    numbers.set(object, n);
  }
  return n;
}

/**
 * A generous estimate of an entry's heap: the key, and per property its name, its value and the
 * value's JSON (two bytes a character) plus the objects around them.
 */
function bytesOf(key: string, values: PropertyJson): number {
  let bytes = 160 + 2 * key.length;
  for (const [name, , json] of values) bytes += 80 + 2 * name.length + 4 * json.length;
  return bytes;
}
