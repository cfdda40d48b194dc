import { protocolLimits } from '@outpost/core';
import type { DecodeResult } from '@outpost/core';

/** `POST /api/v1/sync/plan`: asked before the first pull (docs/sync-protocol.md, "Planning the first sync"). */
export interface SyncPlanRequest {
  readonly protocol: number;
  readonly deviceId: string;
}

/** How much a first pull would bring, and whether that is more than one device should hold (R13). */
export interface SyncPlan {
  /** Records in the user's reach now. */
  readonly records: number;
  /** The most records the server recommends one device to hold. */
  readonly deviceLimit: number;
  readonly exceedsDeviceLimit: boolean;
  readonly scopes: readonly { readonly scope: string; readonly records: number }[];
}

const planKeys = new Set(['records', 'deviceLimit', 'exceedsDeviceLimit', 'scopes']);
const scopeKeys = new Set(['scope', 'records']);

/**
 * Checks the server's answer like core's decoders check the other sync messages: exact members,
 * counts as non-negative integers, lists capped. Hand-written because the plan is not (yet) one
 * of core's protocol schemas.
 */
export function decodeSyncPlan(value: unknown): DecodeResult<SyncPlan> {
  const fail = (path: string, message: string): DecodeResult<SyncPlan> => ({ ok: false, path, message });
  if (!isObject(value)) return fail('', 'Expected an object');
  const unknown = Object.keys(value).find((key) => !planKeys.has(key));
  if (unknown !== undefined) return fail(`/${unknown}`, 'Unexpected property');
  const { records, deviceLimit, exceedsDeviceLimit, scopes } = value;
  if (!isCount(records)) return fail('/records', 'Expected a non-negative integer');
  if (!isCount(deviceLimit)) return fail('/deviceLimit', 'Expected a non-negative integer');
  if (typeof exceedsDeviceLimit !== 'boolean') return fail('/exceedsDeviceLimit', 'Expected a boolean');
  if (!Array.isArray(scopes)) return fail('/scopes', 'Expected an array');
  if (scopes.length > protocolLimits.maxScopes) return fail('/scopes', 'Too many scopes');
  for (const [index, entry] of scopes.entries()) {
    if (!isObject(entry) || Object.keys(entry).some((key) => !scopeKeys.has(key))) {
      return fail(`/scopes/${index}`, 'Expected { scope, records }');
    }
    if (typeof entry['scope'] !== 'string' || entry['scope'].length > protocolLimits.maxIdLength) {
      return fail(`/scopes/${index}/scope`, 'Expected a scope id');
    }
    if (!isCount(entry['records'])) return fail(`/scopes/${index}/records`, 'Expected a non-negative integer');
  }
  return { ok: true, value: value as unknown as SyncPlan };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
