import { DigestCheck } from './DigestCheck.js';
import { DigestResult } from './DigestResult.js';
import { Eviction } from './Eviction.js';
import { PullPage } from './PullPage.js';
import { PullRequest } from './PullRequest.js';
import { PushRequest } from './PushRequest.js';
import { PushResult } from './PushResult.js';
import { SyncError } from './SyncError.js';
import { WipeDirective } from './WipeDirective.js';

/**
 * Every message of the sync protocol. The version test hashes this object, so a message that is
 * not listed here can change without anyone noticing: list each new one.
 */
export const protocolSchemas = {
  PushRequest,
  PushResult,
  PullRequest,
  PullPage,
  Eviction,
  WipeDirective,
  DigestCheck,
  DigestResult,
  SyncError,
} as const;
