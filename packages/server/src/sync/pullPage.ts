import type { Eviction, PropertyJson, PullPage, PulledRecord } from '@outpost/core';
import { createRecordGroupsEncoder, protocolLimits } from '@outpost/core';
import {
  changedEntities,
  countChangedEntities,
  entityContents,
  entitySeqHighWater,
  scopeLeavers,
} from '../storage/queries/sync.js';
import type { LeaverRow, SyncEntityHead } from '../storage/queries/sync.js';
import type { Store } from '../storage/store.js';
import { catalogueFor } from '../policy/index.js';
import type { PulledCase } from './pulledCases.js';
import { pulledCasesFor } from './pulledCases.js';
import type { SyncReach } from './syncReach.js';

/** Rows read per query while filling a page; the byte budget usually stops earlier. */
const CHUNK = 500;

// The JSON around the arrays; scopes and cursors are counted separately.
const PAGE_OVERHEAD_BYTES = 96;

/**
 * One page of what changed in the user's scopes after the device's cursors: records filed under
 * each scope in commit order, interleaved with the evictions of records that left the user's reach
 * (see entity_scope_log), cut when the next entry would pass `maxBytes` of JSON (the first entry
 * always goes). Records go column-wise (RecordGroup); the encoder's cost of a record is an upper
 * bound, so the page's JSON stays within `maxBytes`. A scope's cursor after the page is the seq of
 * its last entry in the page, or the commit high-water mark read at the start when the scope is
 * exhausted, so it covers exactly what the page holds for that scope. Nothing above the high-water mark is read: a transaction still
 * committing cannot be skipped (its seq is higher, and seqs are handed out in commit order).
 */
export async function pullPage(
  request: { cursors: Readonly<Record<string, number>>; maxBytes: number },
  reach: SyncReach,
  store: Store,
): Promise<PullPage> {
  const highWater = await entitySeqHighWater(store);
  const scopes = reach.scopes.map((s) => s.id);
  const cursors: Record<string, number> = {};
  const records = createRecordGroupsEncoder();
  const evictions: Eviction[] = [];
  const inPage = new Set<string>();
  let used = PAGE_OVERHEAD_BYTES + byteLength(JSON.stringify(scopes)) * 2;
  let full = false;
  let hasMore = false;

  for (const scope of reach.scopes) {
    const project = reach.projects.get(scope.projectId);
    const start = cursorOf(request.cursors, scope.id);
    cursors[scope.id] = start;
    if (project === undefined || start >= highWater) continue;
    if (full) {
      hasMore = true;
      continue;
    }
    // The actor's grants in the project are worked out once for the page's records, and a case
    // already redacted for the same view (by this or another reader) is neither read whole nor
    // redacted again.
    const catalogue = await catalogueFor(scope.projectId, store, reach.actor);
    const pulled = pulledCasesFor(project, catalogue, store);
    let cursor = start;
    let exhausted = false;
    while (!full && !exhausted) {
      const range = { afterSeq: cursor, throughSeq: highWater, limit: CHUNK };
      const [changed, leavers] = await Promise.all([
        changedEntities(scope.projectId, scope.filed, range, store),
        scopeLeavers(scope.projectId, scope.within, project.read, range, store),
      ]);
      const pulledCases = await pulled(changed, (missing) => entityContents(missing, store));
      const entries = merge(changed, pulledCases, leavers);
      // Both lists are complete up to the smaller of their last seqs; past it only one was cut.
      const lastChanged = changed.length === CHUNK ? (changed[changed.length - 1]?.seq ?? highWater) : highWater;
      const lastLeaver = leavers.length === CHUNK ? (leavers[leavers.length - 1]?.seq ?? highWater) : highWater;
      const safeThrough = Math.min(lastChanged, lastLeaver);
      for (const entry of entries) {
        if (entry.seq > safeThrough) break;
        const id = entry.kind === 'record' ? entry.row.id : entry.row.entity_id;
        if (inPage.has(id)) {
          cursor = entry.seq;
          continue;
        }
        const wire =
          entry.kind === 'record'
            ? { kind: 'record' as const, ...recordTuple(entry.row, scope.id, entry.pulled) }
            : { kind: 'eviction' as const, eviction: eviction(entry.row) };
        const size =
          wire.kind === 'record'
            ? records.cost(wire.record, wire.values)
            : byteLength(JSON.stringify(wire.eviction)) + 1;
        const count = records.count + evictions.length;
        const tooMany =
          wire.kind === 'record'
            ? records.count >= protocolLimits.maxPageRecords
            : evictions.length >= protocolLimits.maxPageEvictions;
        if ((count > 0 && used + size > request.maxBytes) || tooMany) {
          full = true;
          break;
        }
        used += size;
        inPage.add(id);
        if (wire.kind === 'record') records.add(wire.record, wire.values);
        else evictions.push(wire.eviction);
        cursor = entry.seq;
      }
      if (full) break;
      if (safeThrough >= highWater) exhausted = true;
      else cursor = safeThrough;
    }
    if (exhausted) cursor = highWater;
    else hasMore = true;
    cursors[scope.id] = cursor;
  }

  let remaining = 0;
  if (hasMore) {
    for (const scope of reach.scopes) {
      const after = cursors[scope.id] ?? 0;
      if (after >= highWater) continue;
      remaining += await countChangedEntities(
        scope.projectId,
        scope.filed,
        { afterSeq: after, throughSeq: highWater },
        store,
      );
    }
  }
  return { groups: records.groups(), evictions, cursors, scopes, hasMore, remaining };
}

function cursorOf(cursors: Readonly<Record<string, number>>, scopeId: string): number {
  return Object.hasOwn(cursors, scopeId) ? (cursors[scopeId] ?? 0) : 0;
}

type Entry =
  | { kind: 'record'; seq: number; row: SyncEntityHead; pulled: PulledCase }
  | { kind: 'eviction'; seq: number; row: LeaverRow };

/**
 * The chunk's records and evictions in commit order. A version written again since its head was
 * read (no longer found whole) is left out: it comes with its new seq, above this page's cursors.
 */
function merge(
  changed: readonly SyncEntityHead[],
  pulled: readonly (PulledCase | null)[],
  leavers: readonly LeaverRow[],
): Entry[] {
  const entries: Entry[] = [
    ...changed.flatMap((row, at): Entry[] => {
      const case_ = pulled[at];
      return case_ === null || case_ === undefined ? [] : [{ kind: 'record', seq: row.seq, row, pulled: case_ }];
    }),
    ...leavers.map((row): Entry => ({ kind: 'eviction', seq: row.seq, row })),
  ];
  return entries.sort((a, b) => a.seq - b.seq);
}

function recordTuple(
  row: SyncEntityHead,
  scopeId: string,
  pulled: PulledCase,
): { record: PulledRecord; values: PropertyJson } {
  return { record: [row.id, row.list, scopeId, row.version, row.seq, pulled.properties], values: pulled.values };
}

function eviction(row: LeaverRow): Eviction {
  return { id: row.entity_id, list: row.list, reason: row.reason };
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
