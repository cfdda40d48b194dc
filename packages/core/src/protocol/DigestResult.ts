import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { protocolLimits } from './protocolLimits.js';
import { ScopeId } from './wireFields.js';

/**
 * Per scope: `match` (nothing to do), `drift` (the device must drop the scope's records and cursor
 * and pull it again from 0), `stale` (the scope changed after the device's cursor: pull first,
 * then check again), `unknown-scope` (not in the user's scope set any more: pull to get evictions).
 */
export const ScopeVerdict = Type.Object(
  {
    scope: ScopeId,
    verdict: Type.Union([
      Type.Literal('match'),
      Type.Literal('drift'),
      Type.Literal('stale'),
      Type.Literal('unknown-scope'),
    ]),
  },
  { additionalProperties: false },
);
export type ScopeVerdict = Static<typeof ScopeVerdict>;

export const DigestResult = Type.Object(
  { scopes: Type.Array(ScopeVerdict, { maxItems: protocolLimits.maxScopes }) },
  { additionalProperties: false },
);
export type DigestResult = Static<typeof DigestResult>;
