import type {
  CaseAssignee,
  CaseDetail,
  CaseHistoryEntry,
  CasesApi,
  DeletedCase,
  DuplicateReport,
  RegisterImport,
} from './CasesApi.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What the cases half needs of createHttpApi's request handling (same CSRF and problems). */
export interface CasesHttpCalls {
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** POSTs `body` as `contentType`; the answer read as JSON. */
  post<T>(path: string, body: Blob, contentType: string): Promise<T>;
}

/** The register's type from its name: an .xlsx workbook, else CSV. */
export function registerType(file: File): string {
  return /\.xlsx$/i.test(file.name) ? XLSX : 'text/csv';
}

export function createHttpCasesApi(http: CasesHttpCalls): CasesApi {
  const cases = (projectId: string): string => `/projects/${encodeURIComponent(projectId)}/cases`;
  return {
    getCase: (projectId, caseId) => http.json<CaseDetail>('GET', `${cases(projectId)}/${encodeURIComponent(caseId)}`),
    async getCaseHistory(projectId, caseId) {
      const path = `${cases(projectId)}/${encodeURIComponent(caseId)}/history`;
      return (await http.json<{ items: readonly CaseHistoryEntry[] }>('GET', path)).items;
    },
    editCase(projectId, caseId, baseVersion, change) {
      const path = `${cases(projectId)}/${encodeURIComponent(caseId)}?baseVersion=${baseVersion}`;
      return http.json<CaseDetail>('PATCH', path, change);
    },
    caseAction(projectId, caseId, baseVersion, action) {
      const path = `${cases(projectId)}/${encodeURIComponent(caseId)}/actions`;
      return http.json<CaseDetail>('POST', path, { ...action, baseVersion });
    },
    async listCaseAssignees(projectId, caseId) {
      const path = `${cases(projectId)}/${encodeURIComponent(caseId)}/assignees`;
      return (await http.json<{ items: readonly CaseAssignee[] }>('GET', path)).items;
    },
    async deleteCase(projectId, caseId) {
      await http.json<unknown>('DELETE', `${cases(projectId)}/${encodeURIComponent(caseId)}`);
    },
    restoreCase: (projectId, caseId) =>
      http.json<CaseDetail>('POST', `${cases(projectId)}/${encodeURIComponent(caseId)}/restore`),
    async listDeletedCases(projectId) {
      const path = `${cases(projectId)}?deleted=true&limit=500`;
      return (await http.json<{ items: readonly DeletedCase[] }>('GET', path)).items;
    },
    listDuplicates(projectId, list, limit, offset) {
      const query = new URLSearchParams({ list, limit: String(limit), offset: String(offset) });
      return http.json<DuplicateReport>('GET', `${cases(projectId)}/duplicates?${query.toString()}`);
    },
    async mergeCase(projectId, caseId, into, versions) {
      const path = `${cases(projectId)}/${encodeURIComponent(caseId)}/merge`;
      return (await http.json<{ survivor: CaseDetail }>('POST', path, { into, ...versions })).survivor;
    },
    async unmergeCase(projectId, caseId) {
      const path = `${cases(projectId)}/${encodeURIComponent(caseId)}/unmerge`;
      return (await http.json<{ case: CaseDetail }>('POST', path)).case;
    },
    importCases(projectId, list, file, dryRun) {
      const query = new URLSearchParams({ list, dryRun: String(dryRun) });
      return http.post<RegisterImport>(`${cases(projectId)}/import?${query.toString()}`, file, registerType(file));
    },
  };
}
