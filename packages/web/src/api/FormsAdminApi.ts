// The form-publishing screen's half of the API: the dry run, publishing, the versions of each form
// and their downloads, as the server's /projects/:id/forms routes answer them.

/** One problem the XLSForm compiler found, where the author finds it in the workbook. */
export interface FormIssue {
  readonly sheet: string;
  /** 1-based worksheet row; null for a problem of the whole sheet or form. */
  readonly row: number | null;
  /** `"header" (letter)`, e.g. `"type" (A)`; null when no one column is at fault. */
  readonly column: string | null;
  /** The compiler's own words (English). */
  readonly message: string;
  readonly code?: string;
}

/** A question as the differences name it. */
export interface FormQuestion {
  readonly path: string;
  readonly name: string;
  readonly type: string;
  /** Label per language code (`default` without translations). */
  readonly labels: Readonly<Record<string, string>>;
}

export type QuestionAspect =
  | 'type'
  | 'label'
  | 'required'
  | 'relevant'
  | 'constraint'
  | 'calculation'
  | 'readonly'
  | 'choices'
  | 'sensitivity'
  | 'saveTo'
  | 'repeat';

export interface QuestionChange {
  readonly aspect: QuestionAspect;
  /** The label's language; null for the other aspects. */
  readonly language: string | null;
  readonly before: string | null;
  readonly after: string | null;
}

export interface FormDiff {
  /** The published version compared with; null for a form not published yet. */
  readonly previousVersion: string | null;
  readonly added: readonly FormQuestion[];
  readonly removed: readonly FormQuestion[];
  readonly changed: ReadonlyArray<FormQuestion & { readonly changes: readonly QuestionChange[] }>;
}

/**
 * What publishing the workbook would do: `new` stores a version, `published` finds it already
 * there, `conflict` is refused (the same version with other content; raise the version).
 */
export type PublishOutcome = 'new' | 'published' | 'conflict';

export interface FormCheck {
  readonly formId: string;
  readonly title: string;
  readonly version: string;
  readonly outcome: PublishOutcome;
  readonly warnings: readonly FormIssue[];
  readonly diff: FormDiff;
  /**
   * The media files the form names (`jr://images/…` and the like; entity lists the server builds
   * are left out) and those already stored with this version when it is published.
   */
  readonly media: { readonly expected: readonly string[]; readonly stored: readonly string[] };
}

export interface PublishedVersion {
  readonly formId: string;
  readonly title: string;
  readonly version: string;
  /** false when this exact version was already published (nothing changed). */
  readonly created: boolean;
  /** The media files stored with the version after this publish, and those the form names still missing. */
  readonly media: { readonly stored: readonly string[]; readonly missing: readonly string[] };
}

/** A form of a project, as the administrator's list shows it. */
export interface ProjectForm {
  readonly formId: string;
  readonly title: string;
  readonly versions: number;
  readonly latestVersion: string | null;
  /** ISO 8601 */
  readonly latestPublishedAt: string | null;
}

export interface FormVersionInfo {
  readonly version: string;
  readonly title: string;
  /** ISO 8601 */
  readonly publishedAt: string;
  /** A user id; null when published from the command line or the demo seed. */
  readonly publishedBy: string | null;
  /**
   * How the server checks this version's submissions: its compiled rules, or the ODK engine (slower)
   * for a form using XPath the compiled validator does not cover; `reason` says what, in English.
   */
  readonly validator?: { readonly kind: 'compiled' } | { readonly kind: 'engine'; readonly reason: string };
}

/** Every method rejects with an ApiProblem; an invalid workbook is `form.invalid` with `errors`. */
export interface FormsAdminApi {
  /** The dry run: compiles and compares, stores nothing. */
  checkForm(projectId: string, file: Blob, fileName: string): Promise<FormCheck>;
  /**
   * Publishes the workbook with `media` (files the form names, by file name); publishing the same
   * workbook again adds media files still missing.
   */
  publishForm(projectId: string, file: Blob, fileName: string, media?: readonly File[]): Promise<PublishedVersion>;
  listProjectForms(projectId: string): Promise<readonly ProjectForm[]>;
  /** Newest first. */
  listFormVersions(projectId: string, formId: string): Promise<readonly FormVersionInfo[]>;
  /** Where the browser downloads a version's workbook (`xlsx`) or compiled XForm (`xml`). */
  formFileUrl(projectId: string, formId: string, version: string, kind: 'xlsx' | 'xml'): string;
}
