import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Eviction } from './Eviction.js';
import { protocolLimits } from './protocolLimits.js';
import { Cursors, ListName, RecordId, RecordVersion, ScopeId, ServerSeq } from './wireFields.js';

/** A property value as the policy let it through (already redacted and coarsened). */
export const PropertyValue = Type.Union([
  Type.String({ maxLength: protocolLimits.maxPropertyLength }),
  Type.Number(),
  Type.Boolean(),
  Type.Null(),
  Type.Array(Type.String({ maxLength: 1_000 }), { maxItems: 1_000 }),
]);
export type PropertyValue = Static<typeof PropertyValue>;

export const RecordProperties = Type.Record(
  Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,127}$' }),
  PropertyValue,
  {
    maxProperties: protocolLimits.maxRecordProperties,
    additionalProperties: false,
  },
);
export type RecordProperties = Static<typeof RecordProperties>;

/**
 * One record as a positional tuple, so a page carries no per-record envelope of key names:
 * `[id, list, scope, version, seq, properties]`. `seq` is the server commit sequence of this
 * version; `scope` is the one scope of the user's set the record is filed under (scopes partition
 * what a user sees, so per-scope digests add up).
 */
export const PulledRecord = Type.Tuple([RecordId, ListName, ScopeId, RecordVersion, ServerSeq, RecordProperties]);
export type PulledRecord = Static<typeof PulledRecord>;

/**
 * The answer to a PullRequest. Self-contained: the device applies records, evictions and cursors
 * in one local transaction, so the cursor never runs ahead of the data it covers.
 */
export const PullPage = Type.Object(
  {
    /** Changed records in ascending seq; an id appears at most once in records and evictions together. */
    records: Type.Array(PulledRecord, { maxItems: protocolLimits.maxPageRecords }),
    evictions: Type.Array(Eviction, { maxItems: protocolLimits.maxPageEvictions }),
    /** The cursor of every scope in `scopes` once this page is applied. */
    cursors: Cursors,
    /** The user's current scope set; the device forgets cursors of scopes not listed. */
    scopes: Type.Array(ScopeId, { maxItems: protocolLimits.maxScopes }),
    /** True when more changes are waiting: pull again at once with the new cursors. */
    hasMore: Type.Boolean(),
    /** Records still to come after this page, for honest progress; an estimate. */
    remaining: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type PullPage = Static<typeof PullPage>;
