import { DuplicateFinder, duplicateSchemaOf, searchSchemaFromFields } from '@outpost/core';
import type { DuplicateReason, DuplicateSchema, ScopeFilter } from '@outpost/core';
import { firstEntities } from '../storage/queries/entities.js';
import type { ListedEntity } from '../storage/queries/entities.js';
import type { Store } from '../storage/store.js';
import { listFields } from './searchCases.js';

/** At most this many cases are compared per report; `truncated` says when a list has more. */
export const DUPLICATE_SCAN_LIMIT = 10_000;
/** Cases checked between two turns of the event loop: a long report never holds up other requests. */
const CHECKS_PER_TURN = 100;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface DuplicatePair {
  readonly score: number;
  readonly reasons: readonly DuplicateReason[];
  /** The two cases, the older registration first. */
  readonly cases: readonly [ListedEntity, ListedEntity];
}

export interface DuplicateReport {
  readonly schema: DuplicateSchema;
  /** Every pair found, best first (the caller pages). */
  readonly pairs: readonly DuplicatePair[];
  readonly scanned: number;
  readonly truncated: boolean;
}

/**
 * Candidate pairs of duplicate cases in one list, over the live cases `scope` lets through (at
 * most `DUPLICATE_SCAN_LIMIT`, oldest first): core's `DuplicateFinder`, the tablet's check, with
 * the list's schema read from the published forms. Each check compares a bounded number of cases,
 * so the work grows with the list, and the event loop turns every `CHECKS_PER_TURN` checks. Each case brings at most five suggestions
 * (the finder's bound); a pair found from both sides is listed once.
 */
export async function findDuplicatePairs(
  projectId: string,
  list: string,
  scope: ScopeFilter,
  store: Store,
): Promise<DuplicateReport> {
  const fields = await listFields(projectId, list, store);
  const schema = duplicateSchemaOf(
    searchSchemaFromFields(fields),
    fields.flatMap((f) => (f.saveTo === null ? [] : [f.saveTo])),
  );
  const { items, more } = await firstEntities(projectId, { listName: list, scope }, DUPLICATE_SCAN_LIMIT, store);
  const finder = new DuplicateFinder(schema);
  const order = new Map(items.map((e, i) => [e.id, i]));
  for (const e of items) finder.put({ id: e.id, label: e.label, properties: e.properties });
  const byId = new Map(items.map((e) => [e.id, e]));
  const pairs = new Map<string, DuplicatePair>();
  for (const [i, e] of items.entries()) {
    if (i % CHECKS_PER_TURN === CHECKS_PER_TURN - 1) await nextTurn();
    for (const candidate of finder.similarTo({ id: e.id, label: e.label, properties: e.properties })) {
      const other = byId.get(candidate.id);
      if (other === undefined) continue;
      const [first, second] = (order.get(e.id) ?? 0) < (order.get(other.id) ?? 0) ? [e, other] : [other, e];
      const key = `${first.id}/${second.id}`;
      if (!pairs.has(key))
        pairs.set(key, { score: candidate.score, reasons: candidate.reasons, cases: [first, second] });
    }
  }
  const sorted = [...pairs.values()].sort(
    (a, b) =>
      b.score - a.score ||
      (order.get(a.cases[0].id) ?? 0) - (order.get(b.cases[0].id) ?? 0) ||
      (order.get(a.cases[1].id) ?? 0) - (order.get(b.cases[1].id) ?? 0),
  );
  return { schema, pairs: sorted, scanned: items.length, truncated: more };
}

/** The properties the comparison reads, in the order a reader compares them. */
export function comparedProperties(schema: DuplicateSchema): string[] {
  return [
    ...schema.nameFields,
    ...(schema.dobField === undefined ? [] : [schema.dobField]),
    ...(schema.registerField === undefined ? [] : [schema.registerField]),
    ...(schema.phoneField === undefined ? [] : [schema.phoneField]),
    ...schema.areaFields,
  ];
}
