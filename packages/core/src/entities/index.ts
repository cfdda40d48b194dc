// Entity rules shared by the server and the device.
export { assigneeOf, assigneeProperty } from './caseAssignee.js';
export { statusOf, statusProperty } from './caseStatus.js';
export { entityBlock, normalEntityId, readEntityDeclaration } from './entityDeclaration.js';
export type { EntityDeclaration, HoldReason, ReadEntityDeclarationResult } from './entityDeclaration.js';
export { baseLookup, conflictingProperties, forcedDeclaration } from './entityVersions.js';
export type { BaseLookup, EntityState } from './entityVersions.js';
