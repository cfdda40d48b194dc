import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Timestamp } from './wireFields.js';

/**
 * Sent (inside a SyncError) to a device that must erase all local data at once: its records,
 * outbox, cursors, attachments and key. Unsent outbox items are lost on purpose: the device was
 * revoked because it is no longer trusted.
 */
export const WipeDirective = Type.Object(
  {
    reason: Type.Union([Type.Literal('device-revoked'), Type.Literal('user-disabled')]),
    issuedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type WipeDirective = Static<typeof WipeDirective>;
