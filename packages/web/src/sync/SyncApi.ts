import type { DigestCheck, DigestResult, PullPage, PullRequest, PushRequest, PushResult } from '@outpost/core';
import type { SyncPlan, SyncPlanRequest } from './SyncPlan.js';

/** A decoded answer and what it cost on the wire (request and response), for honest progress. */
export interface Transfer<T> {
  readonly body: T;
  readonly bytes: number;
}

/**
 * The three sync endpoints as the engine sees them. Every method rejects with a SyncFailure when
 * the server says no, cannot be reached, or answers something that is not the promised message.
 * `createHttpSyncApi` is the real one; tests hand in a fake server.
 */
export interface SyncApi {
  push(request: PushRequest): Promise<Transfer<PushResult>>;
  pull(request: PullRequest): Promise<Transfer<PullPage>>;
  digest(request: DigestCheck): Promise<Transfer<DigestResult>>;
  /** Asked before the first pull; without it the engine pulls without warning about the caseload's size. */
  plan?(request: SyncPlanRequest): Promise<Transfer<SyncPlan>>;
}
