import type { LocationPrecision } from './locationPrecision.js';
import type { Capability, Role } from './roles.js';
import type { SensitivityClass } from './sensitivity.js';

/**
 * Where in a project a membership reaches. Area paths are the `areas.path` column: area ids from
 * the root, each followed by `/` (`/mn/ub/bzd/bzd-01/`), so "inside the subtree" is a prefix test.
 */
export type Scope =
  | { kind: 'project' }
  | { kind: 'area'; path: string }
  | { kind: 'team'; team: string }
  /** Records assigned to the member (and, for submissions and attachments, those they sent). */
  | { kind: 'own' };

export interface Membership {
  projectId: string;
  role: Role;
  /** The union of these is the membership's reach; an empty list reaches nothing. */
  scopes: readonly Scope[];
}

/** A project's adjustment of one role. */
export interface ProjectRoleOverride {
  role: Role;
  add?: readonly Capability[];
  remove?: readonly Capability[];
  locationPrecision?: LocationPrecision;
  sensitivity?: Partial<Record<SensitivityClass, 'show' | 'hide'>>;
  /** Entity lists this role may read in the project; absent means every list. */
  lists?: readonly string[];
}

/** Per-project policy settings, stored with the project. */
export interface ProjectPolicy {
  overrides?: readonly ProjectRoleOverride[];
  /**
   * Lists whose records carry evidence (e.g. PNG `incidents`): readable with
   * `incidents.evidence.read` even without `cases.read`. None unless the project says so.
   */
  evidenceLists?: readonly string[];
}

/** Who is asking, as the server's authentication builds it once per request. */
export interface PolicyActor {
  userId: string;
  /** The account role: decides system actions, and an `admin` account administers every project. */
  role: Role;
  memberships: readonly Membership[];
  /** Policy settings of the projects the actor touches, by project id. */
  projects?: Readonly<Record<string, ProjectPolicy>>;
}

export type RecordKind = 'entity' | 'submission' | 'attachment';

/** The envelope of a record the policy decides about. Payload lives in `properties` / `data`. */
export interface PolicyRecord {
  kind: RecordKind;
  id: string;
  projectId: string;
  /** Entity list the record belongs to (for a submission: the list its form feeds), or null. */
  listName: string | null;
  areaPath: string | null;
  team: string | null;
  assigneeId: string | null;
  createdBy: string | null;
  label?: string | null;
  /** Entity properties by property name (flat). */
  properties?: Readonly<Record<string, unknown>>;
  /** Submission data: groups as objects, repeats as arrays, leaves as ODK strings. */
  data?: Readonly<Record<string, unknown>>;
  /** Attachment: the class of the field it was captured in (see `catalogueField`). */
  fieldClass?: SensitivityClass | null;
}

/** What an action is about: the whole system, one project, or one record. */
export type PolicyResource = { kind: 'system' } | { kind: 'project'; projectId: string } | PolicyRecord;

export type DenialReason =
  /** The actor's role lacks the capability. */
  | 'capability'
  /** The capability is there but the record is outside the actor's areas, teams, assignments or lists. */
  | 'scope'
  /** The actor is not a member of the project (answer as "not found": do not confirm it exists). */
  | 'project'
  /** The record is readable but this attachment belongs to a field the role may not see. */
  | 'field';

export type Decision = { allowed: true } | { allowed: false; reason: DenialReason };
