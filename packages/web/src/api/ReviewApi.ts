// The review screen's half of the API: a form's submissions with their review state, one
// submission with its versions (edits) and comments, and setting review states, as the server's
// /projects/:id/forms/:formId/submissions routes answer them (ODK Central's shapes).

/** ODK Central's review states; null is "received". */
export type ReviewState = 'hasIssues' | 'edited' | 'approved' | 'rejected';
/** What a reviewer may set by hand ("edited" comes from an edit). */
export type SettableReviewState = 'hasIssues' | 'approved' | 'rejected';

export interface ReviewedSubmission {
  readonly instanceId: string;
  readonly formId: string;
  readonly version: string;
  readonly receivedAt: string;
  readonly reviewState: ReviewState | null;
  /** The submission this one edits, when it is an edit. */
  readonly deprecatedId: string | null;
  /** Who sent it: null for roles not shown names. */
  readonly submitter: string | null;
  readonly device: string | null;
  readonly entity: { readonly id: string; readonly version: number } | null;
  /** The answers, redacted for the reader: groups as objects, repeats as arrays. */
  readonly data: Readonly<Record<string, unknown>>;
  /** The files its answers name, as this reader sees them (in a submission's detail). */
  readonly attachments?: readonly SubmissionFile[];
}

/** A file (a photo) of one version, named by its answer; fetched by hash. */
export interface SubmissionFile {
  readonly name: string;
  readonly sha256: string;
  readonly contentType: string;
  readonly bytes: number;
}

export interface FieldChange {
  readonly path: string;
  readonly before: string | null;
  readonly after: string | null;
}

export interface SubmissionComment {
  readonly id: string;
  readonly author: string | null;
  readonly body: string;
  readonly createdAt: string;
}

export interface SubmissionDetail {
  readonly submission: ReviewedSubmission;
  /** Oldest first; each with what it changed against the one before. */
  readonly versions: readonly (ReviewedSubmission & { readonly changes: readonly FieldChange[] })[];
  readonly comments: readonly SubmissionComment[];
  readonly mayReview: boolean;
  /** Whether the reader may edit it here: a reviewer shown every answer. */
  readonly mayEdit?: boolean;
}

/** The current version of a submission as stored, to open in the form for an edit. */
export interface SubmissionForEdit {
  readonly instanceId: string;
  readonly formId: string;
  /** The form version it was filled in: the edit is made in the same. */
  readonly version: string;
  readonly xml: string;
  /** Its files: the form opens with them, and the edit keeps those it still names. */
  readonly attachments?: readonly SubmissionFile[];
}

export interface ReviewQuery {
  /** `received` stands for no review yet. */
  readonly states?: readonly (ReviewState | 'received')[];
  /** Dates (YYYY-MM-DD), the day of `to` included. */
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export interface ReviewApi {
  listSubmissions(
    projectId: string,
    formId: string,
    query: ReviewQuery,
  ): Promise<{ readonly items: readonly ReviewedSubmission[]; readonly total: number }>;
  getSubmission(projectId: string, formId: string, instanceId: string): Promise<SubmissionDetail>;
  setReviewState(
    projectId: string,
    formId: string,
    instanceId: string,
    state: SettableReviewState,
  ): Promise<ReviewedSubmission>;
  reviewSelection(
    projectId: string,
    formId: string,
    instanceIds: readonly string[],
    state: SettableReviewState,
  ): Promise<{ readonly updated: number }>;
  addComment(projectId: string, formId: string, instanceId: string, body: string): Promise<SubmissionComment>;
  getSubmissionForEdit(projectId: string, formId: string, instanceId: string): Promise<SubmissionForEdit>;
  /** A submission's file by its SHA-256, as this reader may have it. */
  getSubmissionFile(projectId: string, sha256: string): Promise<Blob>;
  /** Where the browser shows a file's 320 px thumbnail (an `<img src>`). */
  submissionFileThumbnailUrl(projectId: string, sha256: string): string;
}
