import type { DigestResult, ScopeSummary, ScopeVerdict } from '@outpost/core';
import { scopeDigest } from '@outpost/core';
import { placedVersions, scopeChangedSince } from '../storage/queries/sync.js';
import type { Store } from '../storage/store.js';
import type { SyncReach } from './syncReach.js';

/**
 * Compares what a device says it holds per scope with what the server files under that scope
 * now. A scope that changed after the device's cursor cannot be compared (`stale`: pull first);
 * otherwise equal count and hash is `match` and anything else `drift` (the device drops the scope
 * and pulls it again from 0).
 */
export async function checkDigest(
  summaries: readonly ScopeSummary[],
  reach: SyncReach,
  store: Store,
): Promise<DigestResult> {
  const byId = new Map(reach.scopes.map((s) => [s.id, s]));
  const scopes: ScopeVerdict[] = [];
  for (const summary of summaries) {
    const scope = byId.get(summary.scope);
    if (scope === undefined) {
      scopes.push({ scope: summary.scope, verdict: 'unknown-scope' });
      continue;
    }
    if (await scopeChangedSince(scope.projectId, scope, summary.cursor, store)) {
      scopes.push({ scope: summary.scope, verdict: 'stale' });
      continue;
    }
    const digest = scopeDigest(await placedVersions(scope.projectId, scope.filed, store));
    const same = digest.count === summary.count && digest.hash === summary.hash;
    scopes.push({ scope: summary.scope, verdict: same ? 'match' : 'drift' });
  }
  return { scopes };
}
