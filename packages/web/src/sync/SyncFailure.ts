import { isRetryable } from '@outpost/core';
import type { WipeDirective } from '@outpost/core';

/**
 * A sync request that did not succeed, as the engine needs to see it: the problem code, whether a
 * later try may work, how long the server asked us to wait, and a wipe directive if one came.
 * Status 0 means no answer at all (offline, reset, timeout); 502 is used for an answer that could
 * not be read (truncated, not JSON, not the message the protocol promises).
 */
export class SyncFailure extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly wipe: WipeDirective | undefined;

  constructor(init: {
    readonly status: number;
    readonly code: string;
    readonly detail?: string | undefined;
    readonly retryAfterSeconds?: number | undefined;
    readonly wipe?: WipeDirective | undefined;
  }) {
    super(init.detail ?? init.code);
    this.name = 'SyncFailure';
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.wipe = init.wipe;
  }

  /** Network errors, 408, 429 and 5xx: worth another try after a backoff. */
  get retryable(): boolean {
    return this.status === 0 || isRetryable({ status: this.status });
  }
}
