import type { AnalysisApi, Dashboard, ExportJob, FeedKey, FieldRanges, QualityReport } from './AnalysisApi.js';

/** What the analysis half needs of createHttpApi's request handling (same CSRF and problems). */
export interface AnalysisHttpCalls {
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
  send(method: string, path: string, body?: unknown): Promise<void>;
  /** The API's base address (`/api/v1`), for links the browser follows itself. */
  readonly baseUrl?: string;
}

const exportsOf = (projectId: string) => `/projects/${encodeURIComponent(projectId)}/exports`;
const rangesOf = (projectId: string, formId: string) =>
  `/projects/${encodeURIComponent(projectId)}/forms/${encodeURIComponent(formId)}/field-ranges`;

export function createHttpAnalysisApi(http: AnalysisHttpCalls): AnalysisApi {
  return {
    qualityReport: (projectId, formId) =>
      http.json<QualityReport>(
        'GET',
        `/projects/${encodeURIComponent(projectId)}/forms/${encodeURIComponent(formId)}/quality`,
      ),
    fieldRanges: (projectId, formId) => http.json<FieldRanges>('GET', rangesOf(projectId, formId)),
    setFieldRanges: (projectId, formId, ranges) =>
      http.json<FieldRanges>('PUT', rangesOf(projectId, formId), {
        ranges: ranges.map((r) => ({ path: r.path, min: r.min, max: r.max })),
      }),
    dashboard: (projectId) => http.json<Dashboard>('GET', `/projects/${encodeURIComponent(projectId)}/dashboard`),
    async listFeedKeys() {
      return (await http.json<{ keys: readonly FeedKey[] }>('GET', '/me/feed-keys')).keys;
    },
    async createFeedKey(name) {
      const made = await http.json<{ id: string; name: string; key: string; createdAt: string }>(
        'POST',
        '/me/feed-keys',
        { name },
      );
      return { ...made, lastUsedAt: null, revokedAt: null };
    },
    revokeFeedKey: (id) => http.send('DELETE', `/me/feed-keys/${encodeURIComponent(id)}`),
    startExport: (projectId, formId, options) =>
      http.json<ExportJob>(
        'POST',
        `/projects/${encodeURIComponent(projectId)}/forms/${encodeURIComponent(formId)}/exports`,
        options,
      ),
    exportProgress: (projectId, jobId) =>
      http.json<ExportJob>('GET', `${exportsOf(projectId)}/${encodeURIComponent(jobId)}`),
    cancelExport: (projectId, jobId) => http.send('DELETE', `${exportsOf(projectId)}/${encodeURIComponent(jobId)}`),
    exportFileUrl: (projectId, jobId) =>
      `${http.baseUrl ?? '/api/v1'}${exportsOf(projectId)}/${encodeURIComponent(jobId)}/file`,
  };
}
