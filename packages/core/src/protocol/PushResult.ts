import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { protocolLimits } from './protocolLimits.js';
import { DeviceSeq, InstanceId, ProblemCodeField, ProblemDetail, ProblemField } from './wireFields.js';

const itemKey = { seq: DeviceSeq, instanceId: InstanceId };

/** Stored now. */
export const PushAccepted = Type.Object(
  { ...itemKey, outcome: Type.Literal('accepted') },
  { additionalProperties: false },
);

/** Stored before (same instanceId): the device may forget it just as for `accepted`. */
export const PushDuplicate = Type.Object(
  { ...itemKey, outcome: Type.Literal('duplicate') },
  { additionalProperties: false },
);

/** Refused for good: the device keeps it, shows the reason and does not send it again by itself. */
export const PushRejected = Type.Object(
  {
    ...itemKey,
    outcome: Type.Literal('rejected'),
    code: ProblemCodeField,
    field: Type.Optional(ProblemField),
    detail: Type.Optional(ProblemDetail),
  },
  { additionalProperties: false },
);

/**
 * Stored but not yet applied (e.g. an entity update that arrived before the update it builds on,
 * or a form version the server has not seen). Committed, so the device may forget it.
 */
export const PushParked = Type.Object(
  { ...itemKey, outcome: Type.Literal('parked'), code: ProblemCodeField, detail: Type.Optional(ProblemDetail) },
  { additionalProperties: false },
);

export const PushItemResult = Type.Union([PushAccepted, PushDuplicate, PushRejected, PushParked]);
export type PushItemResult = Static<typeof PushItemResult>;
export type PushOutcome = PushItemResult['outcome'];

/** The answer to a PushRequest, sent only after the items it acknowledges are committed. */
export const PushResult = Type.Object(
  {
    /**
     * The highest device seq such that every item of the request up to it has a committed outcome.
     * Items above it (after a fault mid-batch) have no outcome yet and are pushed again.
     * 0 when nothing of this request is committed.
     */
    ackedThrough: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    /** One entry per item up to ackedThrough, in request order. */
    results: Type.Array(PushItemResult, { maxItems: protocolLimits.maxPushItems }),
  },
  { additionalProperties: false },
);
export type PushResult = Static<typeof PushResult>;
