/** A folder of cases as the server answers it to this reader (issue 11). */
export interface CaseFolder {
  readonly id: string;
  readonly name: string;
  /** A personal folder is seen by its maker only; a team folder by every member of the project. */
  readonly kind: 'personal' | 'team';
  /** A smart folder's saved search (the search box's text); null for a folder of chosen cases. */
  readonly query: string | null;
  /** The cases in it this reader may read. */
  readonly caseIds: readonly string[];
  /** True when this reader made it (and so may delete it). */
  readonly mine: boolean;
}

/** A category an administrator defined for the project's cases, named in each language. */
export interface CaseCategoryDefinition {
  readonly code: string;
  readonly names: Readonly<Record<string, string>>;
}

export interface ProjectFolders {
  readonly items: readonly CaseFolder[];
  readonly categories: readonly CaseCategoryDefinition[];
}

export interface NewCaseFolder {
  /** Made on the device, so a retried create makes one folder. */
  readonly id: string;
  readonly name: string;
  readonly kind: 'personal' | 'team';
  readonly query?: string | null;
}

/** Every method rejects with an ApiProblem when the server says no or cannot be reached. */
export interface FoldersApi {
  listFolders(projectId: string): Promise<ProjectFolders>;
  createFolder(projectId: string, folder: NewCaseFolder): Promise<CaseFolder>;
  deleteFolder(projectId: string, folderId: string): Promise<void>;
  /** Idempotent: putting a case in twice, or taking it out twice, is one change. */
  setFolderCase(projectId: string, folderId: string, caseId: string, inFolder: boolean): Promise<void>;
}
