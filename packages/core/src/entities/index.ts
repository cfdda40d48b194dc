// Entity rules shared by the server and the device.
export { assigneeOf, assigneeProperty } from './caseAssignee.js';
export { statusOf, statusProperty } from './caseStatus.js';
export {
  blockProperties,
  entityBlock,
  entityBlocks,
  formEntityActions,
  formEntityLists,
  normalEntityId,
  readEntityDeclaration,
  readEntityDeclarations,
  unpermittedAction,
} from './entityDeclaration.js';
export type {
  EntityBlock,
  EntityDeclaration,
  EntityRefusal,
  EntityRefusalCode,
  HoldReason,
  ReadEntityDeclarationResult,
  ReadEntityDeclarationsResult,
} from './entityDeclaration.js';
export { AUTO_GENERATED_LABEL, baseLookup, conflictingProperties, forcedDeclaration } from './entityVersions.js';
export type { BaseLookup, EntityState } from './entityVersions.js';
