import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { PropertyName, PropertyValue } from './PulledRecord.js';
import { protocolLimits } from './protocolLimits.js';
import { ListName, RecordId, RecordVersion, ScopeId, ServerSeq } from './wireFields.js';

// Records travel column-wise: one array per property, so gzip sees like values side by side
// (all dates of birth, then all phone numbers) instead of each among unlike neighbours. Every
// form below decodes to exactly the values sent before (pulledRecords), so the encoding changes
// bytes, never content: a property the policy hid is absent from its record, as in a tuple.

const maxRecords = protocolLimits.maxPageRecords;

/** The first and last instants a timestamp column may hold: years 0000 to 9999, as ISO text allows. */
export const timestampRange = { min: -62_167_219_200_000, max: 253_402_300_799_999 } as const;
/** The same range in whole days since 1970-01-01. */
export const dateRange = { min: -719_528, max: 2_932_896 } as const;

/** Ascending indices (in the group) of the records that lack the property. */
const Missing = Type.Array(Type.Integer({ minimum: 0, maximum: maxRecords - 1 }), { maxItems: maxRecords });
const Values = Type.Array(PropertyValue, { maxItems: maxRecords });

/**
 * One property of every record in a group. Values are listed for the records that have the
 * property, in group order, skipping those named in `missing`.
 * - `value`: every record that has it has this value;
 * - `values`: one value per record;
 * - `dictionary` + `codes`: each record's value as an index into the distinct values;
 * - `sameAs`: exactly the records and values of an earlier property of the group;
 * - `timestampsFrom` + `offsets`: ISO instants of the form `2026-04-04T03:38:10.828Z`, as
 *   milliseconds after `timestampsFrom` (ms since 1970);
 * - `datesFrom` + `offsets`: ISO dates `2026-04-04`, as days after `datesFrom` (days since 1970).
 */
export const PropertyColumn = Type.Union([
  Type.Object({ value: PropertyValue, missing: Type.Optional(Missing) }, { additionalProperties: false }),
  Type.Object({ values: Values, missing: Type.Optional(Missing) }, { additionalProperties: false }),
  Type.Object(
    {
      dictionary: Values,
      codes: Type.Array(Type.Integer({ minimum: 0, maximum: maxRecords - 1 }), { maxItems: maxRecords }),
      missing: Type.Optional(Missing),
    },
    { additionalProperties: false },
  ),
  Type.Object({ sameAs: PropertyName }, { additionalProperties: false }),
  Type.Object(
    {
      timestampsFrom: Type.Integer({ minimum: timestampRange.min, maximum: timestampRange.max }),
      offsets: Type.Array(Type.Integer({ minimum: 0, maximum: timestampRange.max - timestampRange.min }), {
        maxItems: maxRecords,
      }),
      missing: Type.Optional(Missing),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      datesFrom: Type.Integer({ minimum: dateRange.min, maximum: dateRange.max }),
      offsets: Type.Array(Type.Integer({ minimum: 0, maximum: dateRange.max - dateRange.min }), {
        maxItems: maxRecords,
      }),
      missing: Type.Optional(Missing),
    },
    { additionalProperties: false },
  ),
]);
export type PropertyColumn = Static<typeof PropertyColumn>;

/**
 * The records of one list filed under one scope, column-wise. `ids` is an array, or, when every
 * id is a lower-case UUID (`8-4-4-4-12` hex digits), the 16 bytes of each in base64url without
 * padding (22 characters), concatenated: random ids are most of what is left to send, and hex
 * with hyphens spends 36 characters on them. `seqs` holds the first record's seq, then each record's seq
 * minus the previous one's. `versions` is one number when all records share it.
 */
export const RecordGroup = Type.Object(
  {
    list: ListName,
    scope: ScopeId,
    ids: Type.Union([
      Type.Array(RecordId, { maxItems: maxRecords }),
      // The last character of each id holds two bits, so it is one of A, Q, g, w.
      Type.String({ pattern: '^(?:[A-Za-z0-9_-]{21}[AQgw])*$', maxLength: 22 * maxRecords }),
    ]),
    versions: Type.Union([RecordVersion, Type.Array(RecordVersion, { maxItems: maxRecords })]),
    seqs: Type.Array(ServerSeq, { maxItems: maxRecords }),
    properties: Type.Record(PropertyName, PropertyColumn, {
      maxProperties: protocolLimits.maxRecordProperties,
      additionalProperties: false,
    }),
  },
  { additionalProperties: false },
);
export type RecordGroup = Static<typeof RecordGroup>;
