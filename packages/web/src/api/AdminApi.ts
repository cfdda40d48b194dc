// Two-factor enrolment and the administrator's screens, as the server's /auth/totp, /users,
// /devices and /audit routes answer them. Part of OutpostApi; kept apart so the contract of the
// everyday screens stays short to read.

/** A new authenticator secret: base32, and the `otpauth://totp/...` URI an app reads from a QR code. */
export interface TotpEnrolment {
  readonly secret: string;
  readonly uri: string;
}

export interface UserAccount {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: string;
  readonly disabled: boolean;
  /** ISO 8601 */
  readonly createdAt: string;
}

export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: string;
  readonly password: string;
}

export interface DeviceSummary {
  readonly id: string;
  readonly name: string;
  /** Whose device it is. */
  readonly username: string;
  /** ISO 8601 */
  readonly createdAt: string;
  /** ISO 8601; null until the device has made a request with its token. */
  readonly lastSeenAt: string | null;
  /** ISO 8601; null while the device may still sync. */
  readonly revokedAt: string | null;
}

export interface AuditEvent {
  /** Position in the hash chain, from 1. */
  readonly seq: number;
  /** ISO 8601 */
  readonly at: string;
  /** A user id, or null for the system (seeding, the CLI). */
  readonly actorId: string | null;
  /** e.g. `user.created`, `device.revoked`, `auth.login` */
  readonly action: string;
  /** `kind:id`, e.g. `user:<uuid>` or `device:<uuid>` */
  readonly subject: string;
}

/** A page of the log, newest first. */
export interface AuditQuery {
  /** Events with a sequence number below this one; absent for the newest. */
  readonly before?: number;
  /** Only this action (`case.list`), or this family when it ends with a dot (`auth.`). */
  readonly action?: string;
  readonly limit: number;
}

/** Whether every event still links to the one before it; `seq` is the first event that does not. */
export type AuditChainVerdict =
  { readonly ok: true; readonly count: number } | { readonly ok: false; readonly seq: number; readonly reason: string };

/** An area of a project's area list, with its name in each language the list has. */
export interface AreaOption {
  readonly code: string;
  readonly parentCode: string | null;
  /** e.g. `district`, `khoroo`, `protected_area`, `office` */
  readonly level: string;
  readonly names: Readonly<Record<string, string>>;
}

/** A user's membership of a project: a role and what part of the project it reaches. */
export interface ProjectMember {
  readonly projectId: string;
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: string;
  /** True: the whole project. False: `areas`, `team` and the cases assigned to the user (only those when both are empty). */
  readonly wholeProject: boolean;
  readonly areas: readonly Omit<AreaOption, 'parentCode'>[];
  readonly team: string | null;
}

/**
 * A role and scope to give. Nothing but the role: the whole project. `own`: the cases assigned to
 * the user only (not with areas or a team, which include those).
 */
export interface MembershipChange {
  readonly role: string;
  /** Area codes; each reaches everything below it. */
  readonly areas?: readonly string[];
  readonly team?: string | null;
  readonly own?: boolean;
}

/** An ODK Collect app user of a project: a device key with a field worker's scope. */
export interface AppUser {
  /** The key's device id (revoked with `revokeDevice`). */
  readonly id: string;
  readonly displayName: string;
  /** Area codes it reaches; empty for the whole project or a team. */
  readonly areas: readonly string[];
  readonly team: string | null;
  /** ISO 8601 */
  readonly createdAt: string;
  readonly lastSeenAt: string | null;
  readonly revokedAt: string | null;
}

/** A new app user, with what is shown only once: its key, Collect's server URL and QR settings. */
export interface NewAppUserKey {
  readonly id: string;
  readonly token: string;
  /** `…/v1/key/TOKEN/projects/ID`, Collect's server URL. */
  readonly serverUrl: string;
  /** What Collect's QR code holds: zlib-deflated JSON settings, in Base64. */
  readonly collectSettings: string;
}

/** Every method rejects with an ApiProblem, like the rest of OutpostApi. */
export interface AdminApi {
  /** Starts enrolment for the signed-in user (POST /auth/totp/enrol). */
  enrolTotp(): Promise<TotpEnrolment>;
  /** Proves the new authenticator with its current code; the session becomes a full one. */
  confirmTotp(code: string): Promise<void>;
  listUsers(): Promise<readonly UserAccount[]>;
  /** Refused as `user.invalid` (with the server's words in `detail`, e.g. the password rule) or `user.exists`. */
  addUser(user: NewUser): Promise<UserAccount>;
  setUserDisabled(username: string, disabled: boolean): Promise<UserAccount>;
  /** Forgets the user's authenticator and ends their sessions; they enrol again at their next sign-in. */
  resetUserTotp(username: string): Promise<void>;
  /** Every device for an administrator; only one's own for anyone else. */
  listDevices(): Promise<readonly DeviceSummary[]>;
  revokeDevice(deviceId: string): Promise<void>;
  /** Names a device (its user's own, or any for an administrator). */
  renameDevice(deviceId: string, name: string): Promise<void>;
  /** Oldest first. */
  listAuditEvents(query: AuditQuery): Promise<readonly AuditEvent[]>;
  verifyAuditChain(): Promise<AuditChainVerdict>;
  /** The members of a project, by username (administrators). */
  listMembers(projectId: string): Promise<readonly ProjectMember[]>;
  /**
   * Adds the user to the project or changes their role and scope there. Refused as
   * `membership.invalid` (field `role`, `team` or `own`) or `membership.unknown-area`.
   */
  setMember(projectId: string, userId: string, change: MembershipChange): Promise<ProjectMember>;
  /** Takes the user out of the project; their devices drop its cases at the next sync. */
  removeMember(projectId: string, userId: string): Promise<void>;
  /** The project's area list, parents before children (any member of the project). */
  listAreas(projectId: string): Promise<readonly AreaOption[]>;
  /** The project's ODK Collect app users, newest first (administrators). */
  listAppUsers(projectId: string): Promise<readonly AppUser[]>;
  /** A new app user for the whole project or one area; refused as `request.invalid` (field `/area`). */
  addAppUser(projectId: string, input: { displayName: string; area?: string }): Promise<NewAppUserKey>;
}
