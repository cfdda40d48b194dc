// One home for entities on the server (docs/entities.md): applying a submission's entity change
// (`applyEntity`), placing a case by its properties (`locateEntity`), deciding whether the sender
// may make the change (`authorizeEntityChange`), the backlog of changes waiting for a predecessor
// (`entityBacklog`) and the supervisors' conflict inbox (`conflictInbox`). Reading the entity block
// and resolving versions are pure and live in core (`core/entities`), shared with the device.
export { applyEntity } from './applyEntity.js';
export type { EntityOutcome, EnvelopeChange } from './applyEntity.js';
export { editCase, setCaseDeleted } from './editCase.js';
export { listCaseAssignees } from './caseAssignees.js';
export type { CaseAssignee } from './caseAssignees.js';
export type { CaseChange, CaseEdit } from './editCase.js';
export { locateEntity, relocatedArea } from './locateEntity.js';
export { authorizeEntityChange } from './authorizeEntityChange.js';
export { FORCE_AFTER_MS, forceProcessBacklog, processEntityBacklog } from './entityBacklog.js';
export { startBacklogSchedule } from './backlogSchedule.js';
export type { BacklogSchedule } from './backlogSchedule.js';
export { listConflicts, resolveConflict } from './conflictInbox.js';
export type { ConflictProperty, ConflictVersion, ConflictView } from './conflictInbox.js';
