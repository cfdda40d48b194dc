import type { ReviewApi } from './ReviewApi.js';

/** What the review half needs of createHttpApi's request handling (same CSRF and problems). */
export interface ReviewHttpCalls {
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
  blob(path: string): Promise<Blob>;
  /** The browser's URL of an API path (for `<img src>`). */
  url(path: string): string;
}

/** The start of the day after `date` (YYYY-MM-DD), so the day itself is included. */
function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

export function createHttpReviewApi(http: ReviewHttpCalls): ReviewApi {
  const submissions = (projectId: string, formId: string): string =>
    `/projects/${encodeURIComponent(projectId)}/forms/${encodeURIComponent(formId)}/submissions`;
  return {
    listSubmissions(projectId, formId, query) {
      const params = new URLSearchParams();
      if (query.states !== undefined && query.states.length > 0) params.set('reviewState', query.states.join(','));
      if (query.from !== undefined && query.from !== '') params.set('from', `${query.from}T00:00:00.000Z`);
      if (query.to !== undefined && query.to !== '') params.set('to', dayAfter(query.to));
      if (query.limit !== undefined) params.set('limit', String(query.limit));
      if (query.offset !== undefined) params.set('offset', String(query.offset));
      const search = params.toString();
      return http.json('GET', `${submissions(projectId, formId)}${search === '' ? '' : `?${search}`}`);
    },
    getSubmission: (projectId, formId, instanceId) =>
      http.json('GET', `${submissions(projectId, formId)}/${encodeURIComponent(instanceId)}`),
    setReviewState: (projectId, formId, instanceId, state) =>
      http.json('PATCH', `${submissions(projectId, formId)}/${encodeURIComponent(instanceId)}`, { reviewState: state }),
    reviewSelection: (projectId, formId, instanceIds, state) =>
      http.json('POST', `${submissions(projectId, formId)}/review`, { instanceIds, reviewState: state }),
    addComment: (projectId, formId, instanceId, body) =>
      http.json('POST', `${submissions(projectId, formId)}/${encodeURIComponent(instanceId)}/comments`, { body }),
    getSubmissionForEdit: (projectId, formId, instanceId) =>
      http.json('GET', `${submissions(projectId, formId)}/${encodeURIComponent(instanceId)}/edit`),
    getSubmissionFile: (projectId, sha256) =>
      http.blob(`/projects/${encodeURIComponent(projectId)}/attachments/${encodeURIComponent(sha256)}`),
    submissionFileThumbnailUrl: (projectId, sha256) =>
      http.url(`/projects/${encodeURIComponent(projectId)}/attachments/${encodeURIComponent(sha256)}/thumbnail`),
  };
}
