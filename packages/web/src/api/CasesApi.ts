import type { DuplicateReason } from '@outpost/core';
// What the case page and the register import ask of the server, beside the case list.

/** One version of a case on its timeline, as the server redacts it for the reader. */
export interface CaseHistoryEntry {
  readonly version: number;
  /** ISO 8601, when the server stored it. */
  readonly at: string;
  /** ISO 8601, when it was made on the device (the form's end time), if known. */
  readonly madeAt: string | null;
  /** The form that made it; null for a change made on the server (an import, a resolved conflict). */
  readonly form: { readonly id: string; readonly title: string } | null;
  /** Who made it and on which device; null for roles not shown names. */
  readonly by: string | null;
  readonly device: string | null;
  /** The label, when this version changed it and the reader may see it. */
  readonly label: string | null;
  /** What the version set, as the reader may see it. */
  readonly changes: Readonly<Record<string, string>>;
  /** Properties it set that the reader may not see. */
  readonly withheld: readonly string[];
  readonly conflict: string | null;
  /**
   * What made the version (ODK Central's version source): a submission, an edited submission, a
   * submission forced out of the backlog, an edit on the server (`action` says which), a resolved
   * conflict, an import.
   */
  readonly source?: CaseVersionSource;
  /** The case action of an edit: `edit`, `assign`, `transfer`, `close`, `reopen`, `tag`, `merge`, `unmerge`. */
  readonly action?: string | null;
  /** The duplicate case this version was made on, when that case was merged into this one. */
  readonly mergedFrom?: string | null;
}

export type CaseVersionSource = 'submission' | 'submission-edit' | 'forced' | 'edit' | 'resolved' | 'import';

/** A case action from the case page, sent with the version it was chosen on. */
export type CaseActionRequest =
  | { readonly action: 'assign'; readonly assignee: string | null }
  | { readonly action: 'transfer'; readonly area?: string; readonly team?: string | null }
  | { readonly action: 'close' }
  | { readonly action: 'reopen' }
  | { readonly action: 'tag'; readonly categories: readonly string[] };

/** A problem of an imported register, located as a spreadsheet user finds it. */
export interface RegisterProblem {
  readonly code: string;
  /** 1-based row of the file (the header is row 1); null for the whole file. */
  readonly row: number | null;
  /** `"header" (letter)`, when the problem is in one column. */
  readonly column: string | null;
  readonly message: string;
  /** For `import.bad-value`: what the column takes. */
  readonly expected?: 'integer' | 'decimal' | 'date' | 'choice';
}

export interface RegisterImport {
  readonly created: number;
  readonly updated: number;
  readonly dryRun: boolean;
}

/** One case in full as the server redacts it for the reader (GET …/cases/:caseId). */
export interface CaseDetail {
  readonly id: string;
  readonly list: string;
  readonly label: string | null;
  readonly status?: string;
  readonly conflict?: string | null;
  readonly updatedAt?: string;
  readonly area: { readonly id: string; readonly code: string; readonly name: string } | null;
  readonly assigneeId: string | null;
  readonly properties: Readonly<Record<string, unknown>>;
  /** The version an edit names as its base. */
  readonly version?: number;
  /** The project's category codes the case is tagged with (absent when the role is not shown them). */
  readonly categories?: readonly string[];
  /** The duplicates merged into this case (kept with their history; a merge can be undone). */
  readonly merged?: readonly MergedCase[];
}

export interface MergedCase {
  readonly id: string;
  /** Null for a role not shown the name. */
  readonly label: string | null;
  readonly mergedAt: string;
  /** The properties this case took from it (its blanks filled). */
  readonly taken: readonly string[];
}

/** One case of a duplicate pair, with the values compared, redacted for the reader. */
export interface DuplicatePairCase {
  readonly id: string;
  readonly version: number;
  readonly label: string | null;
  readonly values: Readonly<Record<string, string>>;
  readonly createdAt: string;
}

export interface DuplicatePair {
  readonly score: number;
  readonly reasons: readonly DuplicateReason[];
  /** The older registration first. */
  readonly cases: readonly [DuplicatePairCase, DuplicatePairCase];
}

/** GET …/cases/duplicates: the pairs of one list, best first, over the cases the reader may see. */
export interface DuplicateReport {
  readonly items: readonly DuplicatePair[];
  readonly total: number;
  readonly scanned: number;
  readonly truncated: boolean;
  readonly mayMerge: boolean;
}

/** A soft-deleted case as the restore view lists it (GET …/cases?deleted=true), redacted. */
export interface DeletedCase {
  readonly id: string;
  readonly list: string;
  /** Null for a role not shown the name. */
  readonly label: string | null;
  /** ISO 8601, when it was deleted. */
  readonly deletedAt: string;
}

export interface CasesApi {
  /** One case, for a reader whose device does not hold it (an office browser). */
  getCase(projectId: string, caseId: string): Promise<CaseDetail>;
  /** Every version of a case, newest first. */
  getCaseHistory(projectId: string, caseId: string): Promise<readonly CaseHistoryEntry[]>;
  /**
   * Checks (dryRun) or imports a register into a list. A file with problems is refused whole as
   * ApiProblem `import.invalid` whose `problems` locate each one.
   */
  importCases(projectId: string, list: string, file: File, dryRun: boolean): Promise<RegisterImport>;
  /**
   * Edits a case's properties and label on `baseVersion`, as ODK Central's PATCH: ApiProblem 409
   * `entity.version-conflict` when the case changed since. Answers the case as it is now.
   */
  editCase(
    projectId: string,
    caseId: string,
    baseVersion: number,
    change: { readonly label?: string; readonly data?: Readonly<Record<string, string>> },
  ): Promise<CaseDetail>;
  /** Assigns, transfers, closes, reopens or tags a case, on `baseVersion` (same 409). */
  caseAction(projectId: string, caseId: string, baseVersion: number, action: CaseActionRequest): Promise<CaseDetail>;
  /**
   * Who the case may be assigned to (supervisors): the project's members the assign action would
   * accept, by username; `displayName` only for readers shown names.
   */
  listCaseAssignees(projectId: string, caseId: string): Promise<readonly CaseAssignee[]>;
  /** Soft-deletes a case (supervisors): it leaves every list and device. */
  deleteCase(projectId: string, caseId: string): Promise<void>;
  restoreCase(projectId: string, caseId: string): Promise<CaseDetail>;
  /** The deleted cases the user may restore (supervisors), most recently deleted first. */
  listDeletedCases(projectId: string): Promise<readonly DeletedCase[]>;
  /** Possible duplicates among a list's cases (at most `limit` pairs from `offset`). */
  listDuplicates(projectId: string, list: string, limit: number, offset: number): Promise<DuplicateReport>;
  /** Merges `caseId` into `into`, each on the version compared; answers the survivor. */
  mergeCase(
    projectId: string,
    caseId: string,
    into: string,
    versions: { readonly baseVersion: number; readonly intoBaseVersion: number },
  ): Promise<CaseDetail>;
  /** Undoes the merge of `caseId` (the duplicate); answers it as it is again. */
  unmergeCase(projectId: string, caseId: string): Promise<CaseDetail>;
}

/** A project member a case may be assigned to. */
export interface CaseAssignee {
  readonly username: string;
  readonly displayName: string | null;
}
