import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { protocolLimits } from './protocolLimits.js';
import { Cursors, DeviceId, ProtocolField } from './wireFields.js';

/** POST /api/v1/sync/pull: "what changed in my scopes since these cursors?" */
export const PullRequest = Type.Object(
  {
    protocol: ProtocolField,
    deviceId: DeviceId,
    /** The device's stored cursor per scope. A scope the device does not name starts at 0. */
    cursors: Cursors,
    /** Upper bound on the page's uncompressed JSON; the server always sends at least one record. */
    maxBytes: Type.Integer({ minimum: protocolLimits.minPullBytes, maximum: protocolLimits.maxPullBytes }),
  },
  { additionalProperties: false },
);
export type PullRequest = Static<typeof PullRequest>;
