import { isRole, roleHas } from '@outpost/core';
import type { CaseFolder, FoldersApi } from './FoldersApi.js';
import { ApiProblem, type ProblemBody } from '../transport/ApiProblem.js';
import type { AreaOption, AuditEvent, DeviceSummary, ProjectMember, UserAccount } from './AdminApi.js';
import type { FeedKey } from './AnalysisApi.js';
import { createMemoryMembers } from './memoryMembers.js';
import type { CaseSummary, FormSummary, OutpostApi, ProjectSummary, Session, User } from './OutpostApi.js';

export interface MemoryAccount {
  readonly user: User;
  readonly password: string;
  /** The base32 secret of the account's authenticator; without it the account has none yet. */
  readonly totpSecret?: string;
  readonly disabled?: boolean;
}

/** The secret every enrolment in the memory API hands out, so a test can compute the codes. */
export const memoryTotpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

// As on the server (auth/totp.ts): these roles must have an authenticator before anything else.
const rolesNeedingTwoFactor: readonly string[] = ['admin', 'supervisor'];
const minPasswordLength = 10;

export interface MemoryApiData {
  readonly accounts: readonly MemoryAccount[];
  readonly projects: readonly ProjectSummary[];
  /** Cases per project id. */
  readonly cases: Readonly<Record<string, readonly CaseSummary[]>>;
  /** Published forms per project id. */
  readonly forms?: Readonly<Record<string, readonly MemoryForm[]>>;
  /**
   * Plays the server's checks on a submission: a problem refuses it (as 422 `submission.invalid`
   * would), null accepts it. Without it every submission is accepted.
   */
  readonly judgeSubmission?: (projectId: string, instanceXml: string) => Omit<ProblemBody, 'type'> | null;
  /**
   * Whether `code` is the current code of `secret` (TOTP, SHA-1, 6 digits, 30 s). The memory API does
   * no cryptography itself: a test passes one built on a TOTP library. Without it no code is accepted.
   */
  readonly verifyTotp?: (secret: string, code: string) => boolean;
  /** Devices already registered (what GET /devices lists). */
  readonly devices?: readonly DeviceSummary[];
  /** The clock of the audit log and of new users and devices; the real time by default. */
  readonly now?: () => Date;
  /** Area lists per project id. */
  readonly areas?: Readonly<Record<string, readonly AreaOption[]>>;
  /** Project memberships to start from. */
  readonly members?: readonly ProjectMember[];
}

export interface MemoryForm {
  readonly summary: FormSummary;
  readonly xml: string;
  /** Attachment text by file name, e.g. `cases.csv`. */
  readonly attachments?: Readonly<Record<string, string>>;
}

export interface MemorySubmission {
  readonly projectId: string;
  readonly instanceId: string;
  readonly xml: string;
}

/** The memory API also shows what was submitted, as the server's database would. */
export interface MemoryApi extends OutpostApi {
  readonly submissions: readonly MemorySubmission[];
  /** Breaks the audit chain at `seq`, as a row edited in the database would. */
  tamperWithAudit(seq: number): void;
}

/**
 * An OutpostApi over plain data, answering as the server's contract says (same problem codes, same
 * paging), so screens and models can be tested without HTTP. Search matches `q` against the label,
 * ignoring case.
 */
export function createMemoryApi(data: MemoryApiData): MemoryApi {
  let current: Session | null = null;
  let issued = 0;
  const submissions: MemorySubmission[] = [];
  const now = (): string => (data.now?.() ?? new Date()).toISOString();

  interface AccountState {
    user: User;
    password: string;
    totpSecret: string | null;
    pendingSecret: string | null;
    disabled: boolean;
    createdAt: string;
  }
  const accounts: AccountState[] = data.accounts.map((a) => ({
    user: a.user,
    password: a.password,
    totpSecret: a.totpSecret ?? null,
    pendingSecret: null,
    disabled: a.disabled === true,
    createdAt: now(),
  }));
  const devices: DeviceSummary[] = [...(data.devices ?? [])];
  const feedKeys: Array<FeedKey & { owner: string }> = [];
  const audit: AuditEvent[] = [];
  let auditBrokenAt: number | null = null;
  const record = (action: string, subject: string): void => {
    audit.push({ seq: audit.length + 1, at: now(), actorId: current?.user.id ?? null, action, subject });
  };
  const accountView = (a: AccountState): UserAccount => ({
    id: a.user.id,
    username: a.user.username,
    displayName: a.user.displayName,
    role: a.user.role,
    disabled: a.disabled,
    createdAt: a.createdAt,
  });
  const accountNamed = (username: string): AccountState => {
    const account = accounts.find((a) => a.user.username === username.trim().toLowerCase());
    if (!account) throw problem(404, 'request.not-found', `No user named "${username}".`);
    return account;
  };
  const verifyTotp = (secret: string, code: string): boolean =>
    /^\d{6}$/.test(code) && (data.verifyTotp?.(secret, code) ?? false);
  const enrolmentPending = (session: Session): boolean => session.twoFactorEnrolmentRequired === true;
  /** What every route but /me, logout and enrolment demands of the session. */
  const requireFullSession = (): Session => {
    const session = requireAnySession();
    if (enrolmentPending(session)) {
      throw problem(403, 'auth.two-factor-enrolment-required', 'Set up two-factor sign-in first');
    }
    return session;
  };
  const requireAdmin = (): Session => {
    const session = requireFullSession();
    const role = session.user.role;
    if (!isRole(role) || !roleHas(role, 'users.manage')) throw problem(403, 'auth.forbidden', 'Not allowed');
    return session;
  };

  const formOf = (projectId: string, formId: string, version: string): MemoryForm => {
    const form = data.forms?.[projectId]?.find((f) => f.summary.formId === formId && f.summary.version === version);
    if (!form) throw problem(404, 'form.not-found', 'Form not found');
    return form;
  };

  const requireAnySession = (): Session => {
    if (!current) throw problem(401, 'auth.required', 'Authentication required');
    return current;
  };
  const requireSession = (): Session => requireFullSession();
  const members = createMemoryMembers({
    projects: data.projects,
    areas: data.areas ?? {},
    members: data.members ?? [],
    requireAdmin,
    requireSession,
    user: (userId) => accounts.find((a) => a.user.id === userId)?.user,
    record,
  });

  return {
    login: (username, password, totp, device) =>
      answer(() => {
        if (username === '' || password === '') throw problem(400, 'request.invalid', 'Invalid request');
        if (totp !== undefined && !/^\d{6}$/.test(totp)) throw problem(400, 'request.invalid', 'Invalid request');
        const account = accounts.find((a) => a.user.username === username && a.password === password);
        if (!account || account.disabled) throw problem(401, 'auth.invalid-credentials', 'Invalid credentials');
        if (account.totpSecret !== null) {
          if (totp === undefined)
            throw problem(401, 'auth.totp-required', 'Enter the code from your authenticator app');
          // Told apart from a wrong password by nobody, as on the server.
          if (!verifyTotp(account.totpSecret, totp))
            throw problem(401, 'auth.invalid-credentials', 'Invalid credentials');
        }
        issued += 1;
        const pending = account.totpSecret === null && rolesNeedingTwoFactor.includes(account.user.role);
        current = { user: account.user, csrfToken: `csrf-${issued}` };
        if (pending) current = { ...current, twoFactorEnrolmentRequired: true };
        record('auth.login', `user:${account.user.id}`);
        // As on the server: no device token before the second factor is in place.
        if (device !== undefined && !pending) {
          const registered: DeviceSummary = {
            id: `d-${devices.length + 1}`,
            name: device.name,
            username: account.user.username,
            createdAt: now(),
            lastSeenAt: null,
            revokedAt: null,
          };
          devices.push(registered);
          record('device.registered', `device:${registered.id}`);
          return { ...current, device: { id: registered.id, token: `device-token-${registered.id}` } };
        }
        return current;
      }),
    me: () => answer(() => current),
    logout: () =>
      answer(() => {
        const session = requireAnySession();
        record('auth.logout', `user:${session.user.id}`);
        current = null;
      }),
    enrolTotp: () =>
      answer(() => {
        const session = requireAnySession();
        const account = accountNamed(session.user.username);
        if (account.totpSecret !== null) throw problem(409, 'auth.totp-already-enrolled', 'Already set up');
        account.pendingSecret = memoryTotpSecret;
        const label = encodeURIComponent(`Outpost:${account.user.username}`);
        return {
          secret: memoryTotpSecret,
          uri: `otpauth://totp/${label}?issuer=Outpost&secret=${memoryTotpSecret}&algorithm=SHA1&digits=6&period=30`,
        };
      }),
    confirmTotp: (code) =>
      answer(() => {
        const session = requireAnySession();
        const account = accountNamed(session.user.username);
        if (account.totpSecret !== null) throw problem(409, 'auth.totp-already-enrolled', 'Already set up');
        if (account.pendingSecret === null || !verifyTotp(account.pendingSecret, code)) {
          throw problem(400, 'auth.totp-invalid', 'The code is not right');
        }
        account.totpSecret = account.pendingSecret;
        account.pendingSecret = null;
        current = { user: session.user, csrfToken: session.csrfToken };
        record('auth.totp-enrolled', `user:${account.user.id}`);
      }),
    listUsers: () =>
      answer(() => {
        requireAdmin();
        return accounts.map(accountView).toSorted((a, b) => a.username.localeCompare(b.username));
      }),
    addUser: (input) =>
      answer(() => {
        requireAdmin();
        const username = input.username.trim().toLowerCase();
        const invalid = (field: string, detail: string): ApiProblem =>
          new ApiProblem({
            type: 'about:blank',
            title: 'The user is not valid',
            status: 400,
            code: 'user.invalid',
            detail,
            field,
          });
        if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(username)) throw invalid('username', 'The username is not valid.');
        if (input.displayName.trim() === '')
          throw invalid('displayName', 'The display name must have 1–200 characters.');
        if (!isRole(input.role)) throw invalid('role', `Unknown role "${input.role}".`);
        if (input.password.length < minPasswordLength) {
          throw invalid('password', `The password must have at least ${minPasswordLength} characters.`);
        }
        if (accounts.some((a) => a.user.username === username)) {
          throw problem(409, 'user.exists', `A user named "${username}" already exists.`);
        }
        const user: User = {
          id: `u-${accounts.length + 1}`,
          username,
          displayName: input.displayName.trim(),
          role: input.role,
        };
        const account: AccountState = {
          user,
          password: input.password,
          totpSecret: null,
          pendingSecret: null,
          disabled: false,
          createdAt: now(),
        };
        accounts.push(account);
        record('user.created', `user:${user.id}`);
        return accountView(account);
      }),
    setUserDisabled: (username, disabled) =>
      answer(() => {
        requireAdmin();
        const account = accountNamed(username);
        account.disabled = disabled;
        record(disabled ? 'user.disabled' : 'user.enabled', `user:${account.user.id}`);
        return accountView(account);
      }),
    resetUserTotp: (username) =>
      answer(() => {
        requireAdmin();
        const account = accountNamed(username);
        account.totpSecret = null;
        account.pendingSecret = null;
        record('auth.totp-reset', `user:${account.user.id}`);
      }),
    listDevices: () =>
      answer(() => {
        const session = requireFullSession();
        const all = devices.toSorted((a, b) => b.createdAt.localeCompare(a.createdAt));
        const role = session.user.role;
        const admin = isRole(role) && roleHas(role, 'users.manage');
        return admin ? all : all.filter((d) => d.username === session.user.username);
      }),
    revokeDevice: (deviceId) =>
      answer(() => {
        const session = requireFullSession();
        const role = session.user.role;
        const admin = isRole(role) && roleHas(role, 'users.manage');
        const index = devices.findIndex((d) => d.id === deviceId);
        const device = devices[index];
        // A user may revoke their own device (logout does); someone else's is reported as absent.
        if (!device || (!admin && device.username !== session.user.username)) {
          throw problem(404, 'request.not-found', 'No such device.');
        }
        devices[index] = { ...device, revokedAt: device.revokedAt ?? now() };
        record('device.revoked', `device:${device.id}`);
      }),
    renameDevice: (deviceId, name) =>
      answer(() => {
        const session = requireFullSession();
        const role = session.user.role;
        const admin = isRole(role) && roleHas(role, 'users.manage');
        const index = devices.findIndex((d) => d.id === deviceId);
        const device = devices[index];
        if (!device || (!admin && device.username !== session.user.username)) {
          throw problem(404, 'request.not-found', 'No such device.');
        }
        if (name.trim() === '' || name.length > 100) throw problem(400, 'request.invalid', 'Invalid name');
        devices[index] = { ...device, name: name.trim() };
        record('device.renamed', `device:${device.id}`);
      }),
    // The quality report is the server's computation; the memory double answers an empty one.
    qualityReport: (_projectId, formId) =>
      answer(() => {
        requireFullSession();
        return {
          form: formId,
          version: '1',
          submissions: 0,
          missing: [],
          outOfRange: [],
          newerVersion: { checked: 0, olderTotal: 0, records: [] },
        };
      }),
    // Min–max settings are checked against the form's questions on the server; the memory double
    // knows no questions, so it has none to set.
    fieldRanges: () =>
      answer(() => {
        requireFullSession();
        return { ranges: [], fields: [] };
      }),
    setFieldRanges: (_projectId, _formId, ranges) =>
      answer(() => {
        requireFullSession();
        if (ranges.length > 0) throw problem(400, 'request.invalid', 'The form has no such question.');
        return { ranges: [], fields: [] };
      }),
    // Dashboards are counted on the server through the policy; the memory double answers an empty one.
    dashboard: () =>
      answer(() => {
        requireFullSession();
        return {
          template: null,
          records: 0,
          minimumCell: 5,
          exactLocations: true,
          panels: [],
          map: { hexMetres: 5000, cells: [], suppressed: 0 },
          areas: {},
          workers: {},
        };
      }),
    // Exports are the server's work; the memory double finishes one at once, with nothing in it.
    startExport: (_projectId, formId, options) =>
      answer(() => {
        requireFullSession();
        const ext = options.format === 'csv' ? 'csv.zip' : options.format;
        return {
          id: `export-${formId}`,
          state: 'done' as const,
          written: 0,
          total: 0,
          format: options.format,
          fileName: `${formId}.${ext}`,
          error: null,
        };
      }),
    exportProgress: (_projectId, jobId) =>
      answer(() => {
        requireFullSession();
        throw problem(404, 'export.not-found', `No export ${jobId}.`);
      }),
    cancelExport: () =>
      answer(() => {
        requireFullSession();
      }),
    exportFileUrl: (projectId, jobId) => `/api/v1/projects/${projectId}/exports/${jobId}/file`,
    listFeedKeys: () =>
      answer(() => {
        const session = requireFullSession();
        return feedKeys.filter((k) => k.owner === session.user.id).map(({ owner: _owner, ...key }) => key);
      }),
    createFeedKey: (name) =>
      answer(() => {
        const session = requireFullSession();
        const key = {
          id: `feed-key-${feedKeys.length + 1}`,
          name,
          createdAt: now(),
          lastUsedAt: null,
          revokedAt: null,
        };
        feedKeys.push({ ...key, owner: session.user.id });
        record('feed-key.created', key.id);
        return { ...key, key: `secret-${key.id}` };
      }),
    revokeFeedKey: (id) =>
      answer(() => {
        const session = requireFullSession();
        const index = feedKeys.findIndex((k) => k.id === id && k.owner === session.user.id && k.revokedAt === null);
        const key = feedKeys[index];
        if (key === undefined) throw problem(404, 'odata.key-not-found', 'No such feed key.');
        feedKeys[index] = { ...key, revokedAt: now() };
        record('feed-key.revoked', id);
      }),
    listAuditEvents: (query) =>
      answer(() => {
        requireAdmin();
        const { before, action } = query;
        const matches = (code: string): boolean =>
          action === undefined || (action.endsWith('.') ? code.startsWith(action) : code === action);
        return audit
          .filter((e) => (before === undefined || e.seq < before) && matches(e.action))
          .reverse()
          .slice(0, query.limit);
      }),
    verifyAuditChain: () =>
      answer(() => {
        requireAdmin();
        return auditBrokenAt === null
          ? { ok: true as const, count: audit.length }
          : { ok: false as const, seq: auditBrokenAt, reason: `event ${auditBrokenAt} was altered` };
      }),
    tamperWithAudit(seq) {
      auditBrokenAt = seq;
    },
    listMembers: (projectId) => answer(() => members.listMembers(projectId)),
    setMember: (projectId, userId, change) => answer(() => members.setMember(projectId, userId, change)),
    removeMember: (projectId, userId) => answer(() => members.removeMember(projectId, userId)),
    listAreas: (projectId) => answer(() => members.listAreas(projectId)),
    // App users are device keys the server makes and OpenRosa clients use: nothing to keep here.
    listAppUsers: () => answer(() => []),
    addAppUser: () => answer(() => notHere('app users')),
    // Basemaps are PMTiles files the server checks and serves by range: tested against the server.
    getBasemap: () => answer(() => null),
    uploadBasemap: () => answer(() => notHere('basemaps')),
    listProjects: () =>
      answer(() => {
        requireSession();
        return data.projects;
      }),
    listCases: (projectId, query) =>
      answer(() => {
        requireSession();
        const all = data.cases[projectId];
        if (!all) throw problem(404, 'project.not-found', 'Project not found');
        const needle = query.q?.trim().toLowerCase() ?? '';
        const matching = all
          .filter((c) => needle === '' || (c.label ?? '').toLowerCase().includes(needle))
          .toSorted((a, b) => b.updatedAt.localeCompare(a.updatedAt));
        return { items: matching.slice(query.offset, query.offset + query.limit), total: matching.length };
      }),
    listForms: (projectId) =>
      answer(() => {
        requireSession();
        if (!data.projects.some((p) => p.id === projectId))
          throw problem(404, 'project.not-found', 'Project not found');
        return (data.forms?.[projectId] ?? []).map((f) => f.summary);
      }),
    getFormXml: (projectId, formId, version) =>
      answer(() => {
        requireSession();
        return formOf(projectId, formId, version).xml;
      }),
    getFormAttachment: (projectId, formId, version, name) =>
      answer(() => {
        requireSession();
        const text = formOf(projectId, formId, version).attachments?.[name];
        if (text === undefined) throw problem(404, 'form.attachment-not-found', 'Attachment not found');
        return new Blob([text], { type: name.endsWith('.csv') ? 'text/csv' : 'application/octet-stream' });
      }),
    // Published forms only: compiling an XLSForm needs the server (exceljs, the compiler, the engine).
    // Review reads what the server stored; there is nothing of it on a device.
    listSubmissions: () => answer(() => notHere('submission review')),
    getSubmission: () => answer(() => notHere('submission review')),
    setReviewState: () => answer(() => notHere('submission review')),
    reviewSelection: () => answer(() => notHere('submission review')),
    addComment: () => answer(() => notHere('submission review')),
    getSubmissionForEdit: () => answer(() => notHere('submission review')),
    getSubmissionFile: () => answer(() => notHere('submission review')),
    submissionFileThumbnailUrl: () => '',
    checkForm: () => answer(() => notHere('checking an XLSForm')),
    publishForm: () => answer(() => notHere('publishing an XLSForm')),
    listProjectForms: (projectId) =>
      answer(() => {
        requireSession();
        return (data.forms?.[projectId] ?? []).map((f) => ({
          formId: f.summary.formId,
          title: f.summary.title,
          versions: 1,
          latestVersion: f.summary.version,
          latestPublishedAt: null,
        }));
      }),
    listFormVersions: (projectId, formId) =>
      answer(() => {
        requireSession();
        const form = (data.forms?.[projectId] ?? []).find((f) => f.summary.formId === formId);
        if (!form) throw problem(404, 'form.not-found', 'Form not found');
        return [{ version: form.summary.version, title: form.summary.title, publishedAt: now(), publishedBy: null }];
      }),
    // A case's timeline and register imports are the server's: the memory API has none.
    getCase: () => answer(() => notHere('single case')),
    getCaseHistory: () => answer(() => notHere('case timeline')),
    importCases: () => answer(() => notHere('register import')),
    editCase: () => answer(() => notHere('case edit')),
    caseAction: () => answer(() => notHere('case action')),
    listCaseAssignees: () => answer(() => notHere('case assignees')),
    deleteCase: () => answer(() => notHere('case delete')),
    restoreCase: () => answer(() => notHere('case restore')),
    listDeletedCases: () => answer(() => notHere('deleted cases')),
    listDuplicates: () => answer(() => notHere('duplicate cases')),
    mergeCase: () => answer(() => notHere('case merge')),
    unmergeCase: () => answer(() => notHere('case merge')),
    formFileUrl: (projectId, formId, version, kind) => `memory:${projectId}/${formId}/${version}/form.${kind}`,
    submit: (projectId, instanceXml) =>
      answer(() => {
        requireSession();
        const refusal = data.judgeSubmission?.(projectId, instanceXml) ?? null;
        if (refusal) throw new ApiProblem({ type: 'about:blank', ...refusal });
        const instanceId = /<instanceID>([^<]+)<\/instanceID>/.exec(instanceXml)?.[1] ?? '';
        const created = !submissions.some((s) => s.instanceId === instanceId);
        if (created) submissions.push({ projectId, instanceId, xml: instanceXml });
        return { instanceId, created };
      }),
    ...memoryFolders(answer, requireSession),
    get submissions() {
      return submissions;
    },
  };
}

/** Folders held in memory for screen tests: every folder is the signed-in user's own. */
function memoryFolders(run: <T>(work: () => T) => Promise<T>, requireSession: () => unknown): FoldersApi {
  const folders = new Map<string, { projectId: string; folder: CaseFolder }>();
  const find = (projectId: string, folderId: string) => {
    const found = folders.get(folderId);
    if (found === undefined || found.projectId !== projectId) throw problem(404, 'request.not-found', 'No such folder');
    return found.folder;
  };
  return {
    listFolders: (projectId) =>
      run(() => {
        requireSession();
        const items = [...folders.values()].filter((f) => f.projectId === projectId).map((f) => f.folder);
        return { items, categories: [] };
      }),
    createFolder: (projectId, input) =>
      run(() => {
        requireSession();
        const existing = folders.get(input.id);
        if (existing !== undefined) return existing.folder;
        const folder: CaseFolder = { ...input, query: input.query ?? null, caseIds: [], mine: true };
        folders.set(input.id, { projectId, folder });
        return folder;
      }),
    deleteFolder: (projectId, folderId) =>
      run(() => {
        find(projectId, folderId);
        folders.delete(folderId);
      }),
    setFolderCase: (projectId, folderId, caseId, inFolder) =>
      run(() => {
        const folder = find(projectId, folderId);
        const caseIds = folder.caseIds.filter((id) => id !== caseId);
        folders.set(folderId, { projectId, folder: { ...folder, caseIds: inFolder ? [...caseIds, caseId] : caseIds } });
      }),
  };
}

/** Like the HTTP client, answers only asynchronously and reports every problem as a rejection. */
function answer<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function notHere(what: string): never {
  throw problem(501, 'http.unexpected', `The memory API does no ${what}; test it against the server.`);
}

function problem(status: number, code: string, title: string): ApiProblem {
  return new ApiProblem({ type: 'about:blank', title, status, code, detail: title });
}
