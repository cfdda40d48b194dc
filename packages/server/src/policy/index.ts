// The server's adapter to core/policy: what the server loads (memberships, project policies, form
// catalogues) and how a decision becomes SQL or an HTTP answer. Every route, sync and attachment
// path takes its access decisions through these and core/policy; nothing else decides.
export { loadPolicyActor } from './loadPolicyActor.js';
export type { ActorIdentity } from './loadPolicyActor.js';
export { catalogueFor } from './catalogueFor.js';
export { recordOf } from './recordOf.js';
export type { CarriedValues, EntityRecordRow } from './recordOf.js';
export { redactEntity, redactEntityWith } from './redactEntity.js';
export type { RedactedEntity } from './redactEntity.js';
export { openCase, openProject, readsLabels, requireProjectAction, writeRefusal } from './projectAccess.js';
export type { ProjectAccess, WriteRefusalCode } from './projectAccess.js';
export { loadProjectPolicies, parseProjectPolicy, saveProjectPolicy, unreadablePolicy } from './projectPolicy.js';
export { readSubmission, submissionView } from './submissionView.js';
export type { StoredSubmissionFacts, SubmissionReader } from './submissionView.js';
