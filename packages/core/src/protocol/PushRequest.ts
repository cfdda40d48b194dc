import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { protocolLimits } from './protocolLimits.js';
import { DeviceId, DeviceSeq, Identifier, InstanceId, ProtocolField, Sha256, Timestamp } from './wireFields.js';

/** A file the submission refers to. The bytes travel separately (tus), addressed by their hash. */
export const PushAttachment = Type.Object(
  {
    /** The file name the XML instance uses. */
    name: Type.String({ minLength: 1, maxLength: 255 }),
    sha256: Sha256,
    bytes: Type.Integer({ minimum: 0, maximum: 1024 * 1024 * 1024 }),
  },
  { additionalProperties: false },
);
export type PushAttachment = Static<typeof PushAttachment>;

/** One saved form, as it left the device's outbox. */
export const PushItem = Type.Object(
  {
    /** The device sequence number given when the item was saved; strictly ascending in a request. */
    seq: DeviceSeq,
    /** Idempotency key: a second push of the same instanceId is a `duplicate`, never a second copy. */
    instanceId: InstanceId,
    projectId: Identifier,
    formId: Identifier,
    formVersion: Type.String({ minLength: 1, maxLength: 64 }),
    xml: Type.String({ minLength: 1, maxLength: protocolLimits.maxSubmissionXmlLength }),
    /** When the user saved it on the device (device clock; informative only). */
    createdAt: Timestamp,
    attachments: Type.Array(PushAttachment, { maxItems: protocolLimits.maxAttachmentsPerItem }),
  },
  { additionalProperties: false },
);
export type PushItem = Static<typeof PushItem>;

/** POST /api/v1/sync/push: a batch of the device's outbox, oldest first. */
export const PushRequest = Type.Object(
  {
    protocol: ProtocolField,
    deviceId: DeviceId,
    /** The seq of the first and the last item: lets the server spot a gap without reading items. */
    fromSeq: DeviceSeq,
    throughSeq: DeviceSeq,
    items: Type.Array(PushItem, { minItems: 1, maxItems: protocolLimits.maxPushItems }),
  },
  { additionalProperties: false },
);
export type PushRequest = Static<typeof PushRequest>;

/**
 * The envelope of a PushRequest with its items left undecoded but for their seq and instanceId:
 * a receiver checks each item on its own, so one malformed item is rejected by itself instead of
 * failing the batch.
 */
export const PushEnvelope = Type.Object(
  {
    protocol: ProtocolField,
    deviceId: DeviceId,
    fromSeq: DeviceSeq,
    throughSeq: DeviceSeq,
    items: Type.Array(Type.Object({ seq: DeviceSeq, instanceId: InstanceId }), {
      minItems: 1,
      maxItems: protocolLimits.maxPushItems,
    }),
  },
  { additionalProperties: false },
);
/** As decoded: each item keeps every member it was sent with, for its own decoding. */
export type PushEnvelope = Omit<Static<typeof PushEnvelope>, 'items'> & {
  items: Array<{ seq: number; instanceId: string } & Record<string, unknown>>;
};

/** What a JSON schema cannot say about a push request. */
export interface PushRequestIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Checks the rules that span fields: items in strictly ascending seq, the range matching them,
 * and no instanceId twice. Returns the first issue, or null. Run it after decodeMessage.
 */
export function checkPushSequence(request: {
  fromSeq: number;
  throughSeq: number;
  items: ReadonlyArray<{ seq: number; instanceId: string }>;
}): PushRequestIssue | null {
  const first = request.items[0];
  const last = request.items[request.items.length - 1];
  if (first === undefined || last === undefined) return { path: '/items', message: 'A push carries at least one item' };
  if (request.fromSeq !== first.seq) return { path: '/fromSeq', message: 'fromSeq must equal the first item seq' };
  if (request.throughSeq !== last.seq)
    return { path: '/throughSeq', message: 'throughSeq must equal the last item seq' };
  const seen = new Set<string>();
  let previous = 0;
  for (const [index, item] of request.items.entries()) {
    if (item.seq <= previous) {
      return { path: `/items/${index}/seq`, message: 'Item seqs must be strictly ascending' };
    }
    if (seen.has(item.instanceId)) {
      return { path: `/items/${index}/instanceId`, message: 'The same instanceId appears twice in one push' };
    }
    seen.add(item.instanceId);
    previous = item.seq;
  }
  return null;
}
