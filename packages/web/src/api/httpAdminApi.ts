import type {
  AdminApi,
  AppUser,
  NewAppUserKey,
  AreaOption,
  AuditChainVerdict,
  AuditEvent,
  DeviceSummary,
  ProjectMember,
  TotpEnrolment,
  UserAccount,
} from './AdminApi.js';

/** The two ways createHttpApi talks to the server: an answer read as JSON, or one whose body is not read. */
export interface HttpCalls {
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
  send(method: string, path: string, body?: unknown): Promise<void>;
}

/** The AdminApi half of createHttpApi, over its request function (same CSRF and problem handling). */
export function createHttpAdminApi(http: HttpCalls): AdminApi {
  const user = (username: string): string => `/users/${encodeURIComponent(username)}`;
  const project = (projectId: string): string => `/projects/${encodeURIComponent(projectId)}`;
  const member = (projectId: string, userId: string): string =>
    `${project(projectId)}/members/${encodeURIComponent(userId)}`;
  return {
    enrolTotp: () => http.json<TotpEnrolment>('POST', '/auth/totp/enrol'),
    confirmTotp: (code) => http.send('POST', '/auth/totp/confirm', { code }),
    async listUsers() {
      return (await http.json<{ items: UserAccount[] }>('GET', '/users')).items;
    },
    addUser: (input) => http.json<UserAccount>('POST', '/users', input),
    setUserDisabled: (username, disabled) =>
      http.json<UserAccount>('POST', `${user(username)}/${disabled ? 'disable' : 'enable'}`),
    resetUserTotp: (username) => http.send('POST', `${user(username)}/totp/reset`),
    async listDevices() {
      return (await http.json<{ items: DeviceSummary[] }>('GET', '/devices')).items;
    },
    revokeDevice: (deviceId) => http.send('POST', `/devices/${encodeURIComponent(deviceId)}/revoke`),
    renameDevice: (deviceId, name) => http.send('POST', `/devices/${encodeURIComponent(deviceId)}/name`, { name }),
    async listAuditEvents(query) {
      const params = new URLSearchParams({ order: 'newest', limit: String(query.limit) });
      if (query.before !== undefined) params.set('before', String(query.before));
      if (query.action !== undefined) params.set('action', query.action);
      const page = await http.json<{ items: AuditEvent[] }>('GET', `/audit?${params.toString()}`);
      // The wire also carries details and the hash; the screens show neither.
      return page.items.map(({ seq, at, actorId, action, subject }) => ({ seq, at, actorId, action, subject }));
    },
    verifyAuditChain: () => http.json<AuditChainVerdict>('GET', '/audit/verify'),
    async listMembers(projectId) {
      return (await http.json<{ items: ProjectMember[] }>('GET', `${project(projectId)}/members`)).items;
    },
    setMember: (projectId, userId, change) => http.json<ProjectMember>('PUT', member(projectId, userId), change),
    removeMember: (projectId, userId) => http.send('DELETE', member(projectId, userId)),
    async listAreas(projectId) {
      return (await http.json<{ items: AreaOption[] }>('GET', `${project(projectId)}/areas`)).items;
    },
    async listAppUsers(projectId) {
      return (await http.json<{ items: AppUser[] }>('GET', `${project(projectId)}/app-users`)).items;
    },
    addAppUser: (projectId, input) => http.json<NewAppUserKey>('POST', `${project(projectId)}/app-users`, input),
  };
}
