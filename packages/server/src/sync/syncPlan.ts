import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { protocolLimits } from '@outpost/core';
import { countChangedEntities, entitySeqHighWater } from '../storage/queries/sync.js';
import type { Store } from '../storage/store.js';
import type { SyncReach } from './syncReach.js';

/**
 * Records one device holds at full speed (quality target P1). Above it the device still works but
 * the user is warned before the first sync, so a supervisor can narrow the scope instead (R13).
 */
export const RECOMMENDED_DEVICE_RECORDS = 100_000;

/** POST /api/v1/sync/plan: "how much would a full sync bring to this device?" */
export const SyncPlanRequest = Type.Object(
  {
    protocol: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    deviceId: Type.String({ minLength: 1, maxLength: protocolLimits.maxIdLength, pattern: '^[\\x21-\\x7e]+$' }),
  },
  { additionalProperties: false },
);
export type SyncPlanRequest = Static<typeof SyncPlanRequest>;

export interface SyncPlan {
  /** Records in the user's reach now: what a device syncing from nothing would pull. */
  records: number;
  /** The most records the server recommends one device to hold. */
  deviceLimit: number;
  /** `records > deviceLimit`: the device should warn before the initial sync. */
  exceedsDeviceLimit: boolean;
  /** Records per scope, in the order the pull sends scopes. */
  scopes: Array<{ scope: string; records: number }>;
}

/**
 * Counts what the user's scopes hold, so the device can tell the user before downloading when it
 * is more than one device should carry. Redaction does not change counts; evictions do not apply
 * to a device that holds nothing.
 */
export async function syncPlan(
  reach: SyncReach,
  store: Store,
  deviceLimit: number = RECOMMENDED_DEVICE_RECORDS,
): Promise<SyncPlan> {
  const highWater = await entitySeqHighWater(store);
  const scopes: SyncPlan['scopes'] = [];
  for (const scope of reach.scopes) {
    const records = await countChangedEntities(
      scope.projectId,
      scope.filed,
      { afterSeq: 0, throughSeq: highWater },
      store,
    );
    scopes.push({ scope: scope.id, records });
  }
  const records = scopes.reduce((sum, s) => sum + s.records, 0);
  return { records, deviceLimit, exceedsDeviceLimit: records > deviceLimit, scopes };
}
