import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { protocolLimits } from './protocolLimits.js';
import { ListName, RecordId, RecordVersion, ScopeId, ServerSeq } from './wireFields.js';

/** A property value as the policy let it through (already redacted and coarsened). */
export const PropertyValue = Type.Union([
  Type.String({ maxLength: protocolLimits.maxPropertyLength }),
  Type.Number(),
  Type.Boolean(),
  Type.Null(),
  Type.Array(Type.String({ maxLength: 1_000 }), { maxItems: 1_000 }),
]);
export type PropertyValue = Static<typeof PropertyValue>;

/** The name of a record property. */
export const PropertyName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,127}$' });

export const RecordProperties = Type.Record(PropertyName, PropertyValue, {
  maxProperties: protocolLimits.maxRecordProperties,
  additionalProperties: false,
});
export type RecordProperties = Static<typeof RecordProperties>;

/**
 * One pulled record as the device stores it: `[id, list, scope, version, seq, properties]`.
 * `seq` is the server commit sequence of this version; `scope` is the one scope of the user's set
 * the record is filed under (scopes partition what a user sees, so per-scope digests add up).
 * Pages carry records column-wise (RecordGroup); `pulledRecords` turns a page back into these.
 */
export const PulledRecord = Type.Tuple([RecordId, ListName, ScopeId, RecordVersion, ServerSeq, RecordProperties]);
export type PulledRecord = Static<typeof PulledRecord>;
