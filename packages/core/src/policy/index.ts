// The public contract of the policy module (see README.md). The server, the web app and the CLI
// import these; nothing else decides who may see or do what.
export type {
  Decision,
  DenialReason,
  Membership,
  PolicyActor,
  PolicyRecord,
  PolicyResource,
  ProjectPolicy,
  ProjectRoleOverride,
  RecordKind,
  Scope,
} from './actor.js';
export type { Action } from './can.js';
export { can } from './can.js';
export type { SubmittableForm } from './canSubmitForm.js';
export { canSubmitForm, submittableForm } from './canSubmitForm.js';
export type { RecordChanges, WritableFields, WriteCheck, WriteKind } from './checkWrite.js';
export { checkCreate, checkWrite, writableFields } from './checkWrite.js';
export { renderDecisionTable } from './decisionTable.js';
export type { AreaLabel, CoarsenResult, LocationPrecision } from './locationPrecision.js';
export { coarsenLocation, describePrecision, finerPrecision, isLocationPrecision } from './locationPrecision.js';
export type { Grant } from './projectGrants.js';
export { effectiveRole, normaliseAreaPath, projectGrants } from './projectGrants.js';
export type { Redacted, RedactedRecord, RedactionMark, Redactor } from './redact.js';
export {
  carriedValueClasses,
  fieldViewKey,
  readerView,
  redact,
  redactWithView,
  redactorFor,
  viewerFor,
} from './redact.js';
export type { Capability, FieldView, Role, RoleDefinition } from './roles.js';
export { capabilities, capabilitiesOf, isCapability, isRole, roleDefinition, roleHas, roles } from './roles.js';
export type { ScopeFilter, ScopeFilterOptions } from './scopeFilter.js';
export { matchesScopeFilter, scopeFilter } from './scopeFilter.js';
export type { AreaRef, CatalogueField, CatalogueForm, PolicyCatalogue, SensitivityClass } from './sensitivity.js';
export {
  catalogueField,
  labelClassOf,
  policyCatalogue,
  sensitivityClassOf,
  sensitivityClasses,
  stricterClass,
} from './sensitivity.js';
