import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemCodeField, ProblemDetail, ProblemField } from './wireFields.js';
import { WipeDirective } from './WipeDirective.js';

/**
 * The body of any non-2xx sync response: application/problem+json with Outpost's stable code
 * (the Problem of core/problems), plus what a sync client needs to decide what to do next.
 */
export const SyncError = Type.Object(
  {
    type: Type.String({ maxLength: 300 }),
    title: Type.String({ maxLength: 300 }),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    code: ProblemCodeField,
    detail: Type.Optional(ProblemDetail),
    field: Type.Optional(ProblemField),
    /** Wait at least this long before the next attempt (mirrors Retry-After). */
    retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
    /** Present when the device must erase its local data now. */
    wipe: Type.Optional(WipeDirective),
  },
  // Problem bodies may grow members (RFC 9457): a client must not refuse one it does not know.
  { additionalProperties: true },
);
export type SyncError = Static<typeof SyncError>;

/** Whether a failed sync request is worth retrying later with backoff. */
export function isRetryable(error: Pick<SyncError, 'status'>): boolean {
  return error.status === 408 || error.status === 429 || error.status >= 500;
}
