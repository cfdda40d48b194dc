import type { CaseFolder, FoldersApi, ProjectFolders } from './FoldersApi.js';

/** What the folders half needs of createHttpApi's request handling (same credentials and problems). */
export interface FoldersHttpCalls {
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
  send(method: string, path: string, body?: unknown): Promise<void>;
}

export function createHttpFoldersApi(http: FoldersHttpCalls): FoldersApi {
  const folders = (projectId: string): string => `/projects/${encodeURIComponent(projectId)}/folders`;
  return {
    listFolders: (projectId) => http.json<ProjectFolders>('GET', folders(projectId)),
    createFolder: (projectId, folder) =>
      http.json<CaseFolder>('POST', folders(projectId), { ...folder, query: folder.query ?? null }),
    deleteFolder: (projectId, folderId) => http.send('DELETE', `${folders(projectId)}/${encodeURIComponent(folderId)}`),
    setFolderCase: (projectId, folderId, caseId, inFolder) =>
      http.send(
        inFolder ? 'PUT' : 'DELETE',
        `${folders(projectId)}/${encodeURIComponent(folderId)}/cases/${encodeURIComponent(caseId)}`,
      ),
  };
}
