import { ApiProblem, isProblemBody } from './ApiProblem.js';
import type { BasemapInfo, UploadProgress } from './BasemapApi.js';
import { createHttpAdminApi } from './httpAdminApi.js';
import { createHttpCasesApi } from './httpCasesApi.js';
import { createHttpAnalysisApi } from './httpAnalysisApi.js';
import { createHttpFoldersApi } from './httpFoldersApi.js';
import { createHttpFormsAdminApi } from './httpFormsAdminApi.js';
import { createHttpReviewApi } from './httpReviewApi.js';
import type {
  CasePage,
  CaseQuery,
  FormSummary,
  OutpostApi,
  ProjectSummary,
  Session,
  SubmissionReceipt,
} from './OutpostApi.js';

/** The part of `fetch` the client uses, so tests and other runtimes can hand in their own. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface HttpApiOptions {
  readonly fetch?: FetchLike;
  /** Origin-relative prefix of the API; the app is served by the same server. */
  readonly baseUrl?: string;
  /** Called when the server answers 401 to a signed-in request: the session expired or was revoked. */
  readonly onSessionExpired?: (problem: ApiProblem) => void;
  /**
   * The device token, when the app holds one: sent as `Authorization: Bearer` on every request
   * except sign-in, `/me`, logout and enrolment, which belong to the cookie session.
   */
  readonly deviceToken?: () => string | null;
  /**
   * The app's language, sent as `Accept-Language` so what the server names (areas) follows the
   * language chosen in the app, not the browser's.
   */
  readonly language?: () => string;
}

/** Requests about the cookie session itself: the device token must not stand in for it. */
const cookieOnlyPaths = new Set(['/auth/login', '/auth/logout', '/me', '/auth/totp/enrol', '/auth/totp/confirm']);

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function createHttpApi(options: HttpApiOptions = {}): OutpostApi {
  const fetchFn: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const baseUrl = options.baseUrl ?? '/api/v1';
  // The session cookie is httpOnly; the CSRF token is the only session secret script may hold.
  let csrfToken: string | undefined;

  async function request(method: string, path: string, body?: unknown, raw?: RawBody): Promise<Response> {
    const headers: Record<string, string> = { accept: raw?.accept ?? 'application/json' };
    if (options.language !== undefined) headers['accept-language'] = options.language();
    if (raw?.contentType !== undefined) headers['content-type'] = raw.contentType;
    if (raw?.contentDisposition !== undefined) headers['content-disposition'] = raw.contentDisposition;
    else if (body !== undefined) headers['content-type'] = 'application/json';
    const bearer = cookieOnlyPaths.has(path) ? null : (options.deviceToken?.() ?? null);
    if (bearer !== null) headers['authorization'] = `Bearer ${bearer}`;
    else if (writeMethods.has(method) && csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (raw?.body !== undefined) init.body = raw.body;
    else if (body !== undefined) init.body = JSON.stringify(body);
    let response: Response;
    try {
      response = await fetchFn(baseUrl + path, init);
    } catch (cause) {
      throw ApiProblem.unreachable(cause);
    }
    if (!response.ok) {
      const problem = await problemFrom(response);
      if (problem.status === 401 && (bearer !== null || csrfToken !== undefined) && path !== '/auth/login') {
        if (bearer === null) csrfToken = undefined;
        options.onSessionExpired?.(problem);
      }
      throw problem;
    }
    return response;
  }

  async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await request(method, path, body);
    return (await response.json()) as T;
  }

  async function me(): Promise<Session | null> {
    try {
      const session = await json<Session>('GET', '/me');
      csrfToken = session.csrfToken;
      return session;
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 401) {
        csrfToken = undefined;
        return null;
      }
      throw error;
    }
  }

  return {
    ...createHttpAdminApi({
      json,
      async send(method, path, body) {
        await request(method, path, body);
      },
    }),
    ...createHttpFoldersApi({
      json,
      async send(method, path, body) {
        await request(method, path, body);
      },
    }),
    ...createHttpAnalysisApi({
      json,
      async send(method, path, body) {
        await request(method, path, body);
      },
      baseUrl,
    }),
    async login(username, password, totp, device) {
      const body = {
        username,
        password,
        ...(totp === undefined ? {} : { totp }),
        ...(device === undefined ? {} : { device: { name: device.name } }),
      };
      const session = await json<Session>('POST', '/auth/login', body);
      csrfToken = session.csrfToken;
      return session;
    },
    ...createHttpReviewApi({ json }),
    ...createHttpFormsAdminApi({
      baseUrl,
      json,
      async upload<T>(path: string, file: Blob, fileName: string) {
        const response = await request('POST', path, undefined, {
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          // The server takes the form id from the file name when the settings sheet names none.
          contentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
          body: file,
        });
        return (await response.json()) as T;
      },
      async uploadForm<T>(path: string, body: FormData) {
        return (await (await request('POST', path, undefined, { body })).json()) as T;
      },
    }),
    ...createHttpCasesApi({
      json,
      async post<T>(path: string, body: Blob, contentType: string) {
        return (await (await request('POST', path, undefined, { contentType, body })).json()) as T;
      },
    }),
    async getBasemap(projectId) {
      try {
        return await json<BasemapInfo>('GET', `/projects/${encodeURIComponent(projectId)}/basemap`);
      } catch (error) {
        if (error instanceof ApiProblem && error.code === 'basemap.none') return null;
        throw error;
      }
    },
    async uploadBasemap(projectId, file, onProgress) {
      // The same credentials as every other request: the device token, else the cookie + CSRF token.
      const bearer = options.deviceToken?.() ?? null;
      if (bearer === null && csrfToken === undefined) await me().catch(() => null);
      const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/vnd.pmtiles' };
      if (options.language !== undefined) headers['accept-language'] = options.language();
      if (bearer !== null) headers['authorization'] = `Bearer ${bearer}`;
      else if (csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
      const path = `${baseUrl}/projects/${encodeURIComponent(projectId)}/basemap`;
      const response = await sendWithProgress('PUT', path, headers, file, onProgress);
      if (!response.ok) throw await problemFrom(response);
      return (await response.json()) as BasemapInfo;
    },
    me,
    async logout() {
      try {
        // After a reload the page has not learnt the session's CSRF token yet: logout needs it.
        if (csrfToken === undefined) await me().catch(() => null);
        await request('POST', '/auth/logout');
      } finally {
        csrfToken = undefined;
      }
    },
    async listProjects() {
      const page = await json<{ items: ProjectSummary[] }>('GET', '/projects');
      return page.items;
    },
    async listCases(projectId, query: CaseQuery) {
      const params = new URLSearchParams({ limit: String(query.limit), offset: String(query.offset) });
      if (query.q !== undefined && query.q !== '') params.set('q', query.q);
      return json<CasePage>('GET', `/projects/${encodeURIComponent(projectId)}/cases?${params.toString()}`);
    },
    async listForms(projectId) {
      const page = await json<{ items: readonly WireForm[] }>(
        'GET',
        `/projects/${encodeURIComponent(projectId)}/forms`,
      );
      return page.items.map(formSummaryFrom).filter((f): f is FormSummary => f !== null);
    },
    async getFormXml(projectId, formId, version) {
      const response = await request('GET', `${versionPath(projectId, formId, version)}/form.xml`, undefined, {
        accept: 'application/xml',
      });
      return response.text();
    },
    async getFormAttachment(projectId, formId, version, name) {
      const response = await request(
        'GET',
        `${versionPath(projectId, formId, version)}/attachments/${encodeURIComponent(name)}`,
        undefined,
        { accept: '*/*' },
      );
      return response.blob();
    },
    async submit(projectId, instanceXml) {
      const response = await request('POST', `/projects/${encodeURIComponent(projectId)}/submissions`, undefined, {
        contentType: 'application/xml',
        body: instanceXml,
      });
      const body = (await response.json().catch(() => ({}))) as Partial<WireReceipt>;
      return {
        instanceId: body.instanceId ?? body.id ?? '',
        created: response.status === 201,
      } satisfies SubmissionReceipt;
    },
  };
}

interface RawBody {
  readonly accept?: string;
  readonly contentType?: string;
  readonly contentDisposition?: string;
  readonly body?: string | Blob | FormData;
}

function versionPath(projectId: string, formId: string, version: string): string {
  return `/projects/${encodeURIComponent(projectId)}/forms/${encodeURIComponent(formId)}/versions/${encodeURIComponent(version)}`;
}

/** The server's form list item; the latest version may sit at the top or in a nested object. */
interface WireForm {
  readonly submittable?: boolean;
  readonly formId?: string;
  readonly xmlFormId?: string;
  readonly id?: string;
  readonly title?: string;
  readonly name?: string;
  readonly version?: string;
  readonly latestVersion?: { readonly version?: string; readonly title?: string } | null;
}

interface WireReceipt {
  readonly instanceId: string;
  readonly id: string;
}

function formSummaryFrom(wire: WireForm): FormSummary | null {
  // Listed for a publisher but not something this user may send: not offered to fill.
  if (wire.submittable === false) return null;
  const formId = wire.formId ?? wire.xmlFormId ?? wire.id;
  const version = wire.latestVersion?.version ?? wire.version;
  if (formId === undefined || version === undefined) return null;
  return { formId, version, title: wire.latestVersion?.title ?? wire.title ?? wire.name ?? formId };
}

async function problemFrom(response: Response): Promise<ApiProblem> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (isProblemBody(body)) return new ApiProblem(body);
  return new ApiProblem({
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    code: 'http.unexpected',
  });
}

/**
 * A request whose body's progress is reported (fetch has no upload progress): XMLHttpRequest,
 * answered as a Response so the same problem decoding reads a refusal. Cookies go along (same origin).
 */
function sendWithProgress(
  method: string,
  url: string,
  headers: Readonly<Record<string, string>>,
  body: Blob,
  onProgress: UploadProgress | undefined,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.withCredentials = true;
    xhr.responseType = 'blob';
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress?.(event.loaded, event.lengthComputable ? event.total : body.size);
    xhr.onload = () => {
      const type = xhr.getResponseHeader('content-type');
      resolve(
        new Response(xhr.status === 204 ? null : (xhr.response as Blob), {
          status: xhr.status,
          statusText: xhr.statusText,
          headers: type === null ? {} : { 'content-type': type },
        }),
      );
    };
    xhr.onerror = () => reject(ApiProblem.unreachable(new Error('upload failed')));
    xhr.onabort = () => reject(ApiProblem.unreachable(new Error('upload aborted')));
    xhr.send(body);
  });
}
