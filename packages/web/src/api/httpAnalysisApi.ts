import type { AnalysisApi, Dashboard, FeedKey, QualityReport } from './AnalysisApi.js';

/** What the analysis half needs of createHttpApi's request handling (same CSRF and problems). */
export interface AnalysisHttpCalls {
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
  send(method: string, path: string, body?: unknown): Promise<void>;
}

export function createHttpAnalysisApi(http: AnalysisHttpCalls): AnalysisApi {
  return {
    qualityReport: (projectId, formId) =>
      http.json<QualityReport>(
        'GET',
        `/projects/${encodeURIComponent(projectId)}/forms/${encodeURIComponent(formId)}/quality`,
      ),
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
  };
}
