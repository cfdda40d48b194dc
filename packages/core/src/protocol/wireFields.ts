// Field schemas shared by several messages. Every string is bounded and every object is closed
// (additionalProperties: false) so a crafted message cannot smuggle fields past a decoder (S3).
import { Type } from '@sinclair/typebox';
import { protocolLimits } from './protocolLimits.js';

const id = { minLength: 1, maxLength: protocolLimits.maxIdLength } as const;

/**
 * Printable ASCII without spaces: safe in logs, file names and SQL parameters alike. The length
 * bound is in the pattern too because a Record key schema keeps only its pattern.
 */
export const Identifier = Type.String({ ...id, pattern: `^[\\x21-\\x7e]{1,${protocolLimits.maxIdLength}}$` });

/** The device's own id, chosen at enrolment. */
export const DeviceId = Identifier;

/** The XForm instanceID generated on the device, e.g. `uuid:0f6e…`. */
export const InstanceId = Identifier;

/** A scope is the server's name for one slice of a user's data (e.g. a list in an area subtree). */
export const ScopeId = Identifier;

/** The id of a record (entity) in an entity list. */
export const RecordId = Identifier;

/** The name of an entity list. */
export const ListName = Type.String({
  ...id,
  pattern: `^[A-Za-z_][A-Za-z0-9_.-]{0,${protocolLimits.maxIdLength - 1}}$`,
});

/** A device sequence number: 1, 2, 3 … in the order things were saved on the device. */
export const DeviceSeq = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

/** A server commit sequence number; 0 means "nothing yet". */
export const ServerSeq = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/** A record's version: 1 when created, +1 on every accepted update. */
export const RecordVersion = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

/** Lower-case hex SHA-256. */
export const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$' });

/** ISO 8601 timestamp with an explicit offset, as devices and servers write it. */
export const Timestamp = Type.String({
  maxLength: 40,
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$',
});

/** A stable problem code from core's catalogue, e.g. `submission.form-unknown`. */
export const ProblemCodeField = Type.String({ maxLength: 80, pattern: '^[a-z][a-z0-9-]*(\\.[a-z0-9-]+)+$' });

/** Where in the item the problem is, as a JSON pointer or XForm path. */
export const ProblemField = Type.String({ maxLength: 500 });

export const ProblemDetail = Type.String({ maxLength: protocolLimits.maxDetailLength });

/** The protocol version the sender speaks; see PROTOCOL_VERSION. */
export const ProtocolField = Type.Integer({ minimum: 1, maximum: 1_000_000 });

/** Cursor per scope: the server commit sequence the device has durably stored up to. */
export const Cursors = Type.Record(ScopeId, ServerSeq, {
  maxProperties: protocolLimits.maxScopes,
  additionalProperties: false,
});
