// The whole contract of the sync protocol: the messages, their limits and version, and the pure
// functions both ends need. See docs/sync-protocol.md.
export { PROTOCOL_VERSION } from './protocolVersion.js';
export { protocolLimits } from './protocolLimits.js';
export { protocolSchemas } from './protocolSchemas.js';
export { decodeMessage } from './decodeMessage.js';
export type { DecodeResult } from './decodeMessage.js';
export { scopeDigest } from './scopeDigest.js';
export type { Digest, VersionedId } from './scopeDigest.js';
export { fnv1a64, Fnv1a64 } from './fnv1a64.js';
export { PushAttachment, PushEnvelope, PushItem, PushRequest, checkPushSequence } from './PushRequest.js';
export type { PushRequestIssue } from './PushRequest.js';
export { PushAccepted, PushDuplicate, PushItemResult, PushParked, PushRejected, PushResult } from './PushResult.js';
export type { PushOutcome } from './PushResult.js';
export { PullRequest } from './PullRequest.js';
export { PullPage } from './PullPage.js';
export { PropertyName, PropertyValue, PulledRecord, RecordProperties } from './PulledRecord.js';
export { PropertyColumn, RecordGroup } from './RecordGroup.js';
export { createRecordGroupsEncoder, encodeRecordGroups, propertyJsonOf } from './recordGroupsEncoder.js';
export type { PropertyJson, RecordGroupsEncoder } from './recordGroupsEncoder.js';
export { decodePulledRecords, pulledRecordCount, pulledRecords } from './pulledRecords.js';
export { Eviction } from './Eviction.js';
export { WipeDirective } from './WipeDirective.js';
export { DigestCheck, ScopeSummary } from './DigestCheck.js';
export { DigestResult, ScopeVerdict } from './DigestResult.js';
export { SyncError, isRetryable } from './SyncError.js';
