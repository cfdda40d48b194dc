import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { protocolLimits } from './protocolLimits.js';
import { DeviceId, ProtocolField, ScopeId, ServerSeq } from './wireFields.js';

/** What the device holds for one scope, summarised by scopeDigest(). */
export const ScopeSummary = Type.Object(
  {
    scope: ScopeId,
    /** The device's cursor for the scope: the digest describes the scope as of this seq. */
    cursor: ServerSeq,
    count: Type.Integer({ minimum: 0 }),
    /** 16 lower-case hex digits: FNV-1a 64 over the sorted `id:version` lines. */
    hash: Type.String({ pattern: '^[0-9a-f]{16}$' }),
  },
  { additionalProperties: false },
);
export type ScopeSummary = Static<typeof ScopeSummary>;

/** POST /api/v1/sync/digest: "do we agree on what I hold?" Sent now and then, not on every sync. */
export const DigestCheck = Type.Object(
  {
    protocol: ProtocolField,
    deviceId: DeviceId,
    scopes: Type.Array(ScopeSummary, { minItems: 1, maxItems: protocolLimits.maxScopes }),
  },
  { additionalProperties: false },
);
export type DigestCheck = Static<typeof DigestCheck>;
