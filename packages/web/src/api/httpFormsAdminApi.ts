import type { FormCheck, FormsAdminApi, FormVersionInfo, ProjectForm, PublishedVersion } from './FormsAdminApi.js';

/** What the forms-admin half needs of createHttpApi's request handling (same CSRF and problems). */
export interface FormsHttpCalls {
  readonly baseUrl: string;
  json<T>(method: string, path: string): Promise<T>;
  /** POSTs `file` as an .xlsx body named `fileName`; the answer read as JSON. */
  upload<T>(path: string, file: Blob, fileName: string): Promise<T>;
  /** POSTs `body` as multipart/form-data (the browser sets the boundary); the answer read as JSON. */
  uploadForm<T>(path: string, body: FormData): Promise<T>;
}

interface WireForm {
  readonly formId: string;
  readonly title: string;
  readonly versions: number;
  readonly latestVersion: { readonly version: string; readonly publishedAt: string } | null;
}

export function createHttpFormsAdminApi(http: FormsHttpCalls): FormsAdminApi {
  const forms = (projectId: string): string => `/projects/${encodeURIComponent(projectId)}/forms`;
  return {
    checkForm: (projectId, file, fileName) => http.upload<FormCheck>(`${forms(projectId)}/check`, file, fileName),
    publishForm(projectId, file, fileName, media = []) {
      if (media.length === 0) return http.upload<PublishedVersion>(forms(projectId), file, fileName);
      // The server's publishing route takes the workbook as "xlsform" and each file as "media".
      const body = new FormData();
      body.append('xlsform', file, fileName);
      for (const m of media) body.append('media', m, m.name);
      return http.uploadForm<PublishedVersion>(forms(projectId), body);
    },
    async listProjectForms(projectId) {
      const page = await http.json<{ items: readonly WireForm[] }>('GET', forms(projectId));
      return page.items.map((f): ProjectForm => ({
        formId: f.formId,
        title: f.title,
        versions: f.versions,
        latestVersion: f.latestVersion?.version ?? null,
        latestPublishedAt: f.latestVersion?.publishedAt ?? null,
      }));
    },
    async listFormVersions(projectId, formId) {
      const path = `${forms(projectId)}/${encodeURIComponent(formId)}/versions`;
      return (await http.json<{ items: readonly FormVersionInfo[] }>('GET', path)).items;
    },
    formFileUrl: (projectId, formId, version, kind) =>
      `${http.baseUrl}${forms(projectId)}/${encodeURIComponent(formId)}/versions/${encodeURIComponent(version)}/form.${kind}`,
  };
}
