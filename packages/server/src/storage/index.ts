// The whole public contract of the storage layer: the Store port, migrations and the query
// modules. Everything else under storage/ is internal.
export type { Dialect, Store, StoreOptions } from './store.js';
export { openStore, dialectOf, isUniqueViolation, isForeignKeyViolation, nextSeq } from './store.js';
export { migrate, migrateWith, migrationStatus } from './migrate.js';
export { migrations } from './migrations/migrations.js';
export type { MigrationStatus } from './migrate.js';
export { backupSqliteFile, dumpPostgres, restorePostgres } from './backup.js';
export type * from './schema.js';

export {
  createProject,
  findProjectBasemap,
  findProjectById,
  findProjectBySlug,
  listProjects,
  listProjectsForUser,
  setProjectBasemap,
} from './queries/projects.js';
export type { NewProject, ProjectBasemap, ProjectWithRole } from './queries/projects.js';
export { isBlobReferenced } from './queries/blobs.js';
export { findForm, findFormXlsform, listForms, listFormVersions, listProjectFormVersions } from './queries/forms.js';
export type { FormRow, StoredFormVersion } from './queries/forms.js';
export { upsertAreas, listAreas, findArea, areaSubtreeIds } from './queries/areas.js';
export type { Area, AreaInput } from './queries/areas.js';
export {
  addMembership,
  listMemberships,
  findMembership,
  removeMembership,
  membershipReachOf,
} from './queries/memberships.js';
export type { Membership, MembershipReach, MembershipWithNames, NewMembership } from './queries/memberships.js';
export {
  ensureEntityList,
  insertEntity,
  updateEntity,
  findEntity,
  findProjectEntity,
  listEntities,
  allEntities,
  entitiesAfter,
  countEntities,
  searchKey,
} from './queries/entities.js';
export type {
  EntityList,
  StoredEntity,
  ListedEntity,
  NewEntity,
  EntityChanges,
  EntityFilter,
} from './queries/entities.js';
export { insertRegisteredCases } from './queries/registeredCases.js';
export type { RegisteredCase } from './queries/registeredCases.js';
export {
  appendAuditEvent,
  listAuditEvents,
  listAuditEventsNewestFirst,
  verifyAuditChain,
  AUDIT_GENESIS_HASH,
} from './queries/audit.js';
export type { AuditEvent, AuditDetails, AuditChainVerdict, NewAuditEvent } from './queries/audit.js';
export {
  addFolderEntity,
  deleteCaseCategory,
  deleteFolder,
  findFolder,
  findFolderNamed,
  folderEntityIds,
  insertFolder,
  listCaseCategories,
  listFoldersOf,
  putCaseCategory,
  removeFolderEntity,
} from './queries/folders.js';
export type { CaseCategory, FolderRow, NewFolder } from './queries/folders.js';
export { canonicalJson } from './queries/canonicalJson.js';
export type { JsonValue } from './queries/canonicalJson.js';
export { clampPage, MAX_PAGE_SIZE } from './queries/clampPage.js';
export type { Page } from './queries/clampPage.js';
