import { ApiProblem } from '../transport/ApiProblem.js';
import { createTransport, type Transport, type TransportOptions } from '../transport/createTransport.js';
import { problemFrom } from '../transport/problemFrom.js';
import { sendWithProgress } from '../transport/sendWithProgress.js';
import type { BasemapInfo } from './BasemapApi.js';
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

export type { FetchLike } from '../transport/createTransport.js';

export interface HttpApiOptions extends TransportOptions {
  /** The app's one transport; made from the other options when not given. */
  readonly transport?: Transport;
}

export function createHttpApi(options: HttpApiOptions = {}): OutpostApi {
  const transport = options.transport ?? createTransport(options);
  const { baseUrl, request, json, me } = transport;

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
      transport.rememberCsrf(session.csrfToken);
      return session;
    },
    ...createHttpReviewApi({
      json,
      async blob(path) {
        return (await request('GET', path, undefined, { accept: '*/*' })).blob();
      },
      url: (path) => `${baseUrl}${path}`,
    }),
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
      const headers: Record<string, string> = {
        ...(await transport.credentials({ refresh: false })),
        accept: 'application/json',
        'content-type': 'application/vnd.pmtiles',
      };
      if (options.language !== undefined) headers['accept-language'] = options.language();
      const path = `${baseUrl}/projects/${encodeURIComponent(projectId)}/basemap`;
      const response = await sendWithProgress('PUT', path, headers, file, onProgress);
      if (!response.ok) throw await problemFrom(response);
      return (await response.json()) as BasemapInfo;
    },
    me,
    async logout() {
      try {
        // After a reload the page has not learnt the session's CSRF token yet: logout needs it.
        if (!transport.hasCsrf()) await me().catch(() => null);
        await request('POST', '/auth/logout');
      } finally {
        transport.forgetCsrf();
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
