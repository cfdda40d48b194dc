import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ListName, RecordId } from './wireFields.js';

/**
 * A record the device must delete: it left every scope of this user (moved to another area,
 * reassigned) or was deleted on the server. Pending outbox items that touch it stay and are pushed.
 */
export const Eviction = Type.Object(
  {
    id: RecordId,
    list: ListName,
    reason: Type.Union([Type.Literal('out-of-scope'), Type.Literal('deleted')]),
  },
  { additionalProperties: false },
);
export type Eviction = Static<typeof Eviction>;
