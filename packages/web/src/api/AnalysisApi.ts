// The analysis screen's half of the API: a form's data-quality report and the user's OData feed
// keys, as the server's /projects/:id/forms/:formId/quality and /me/feed-keys routes answer them,
// and the project's dashboard (/projects/:id/dashboard).

/** A submission a report points at: its case, when it has one, opens it. */
export interface QualityRecord {
  readonly instanceId: string;
  readonly caseId: string | null;
  readonly submittedAt: string;
}

export interface QualityField {
  readonly path: string;
  readonly name: string;
  /** Label per language code (`default` without translations). */
  readonly labels: Readonly<Record<string, string>>;
}

/** An administrator's min–max of a question (either bound open), as text: a number or YYYY-MM-DD. */
export interface FieldRange {
  readonly path: string;
  readonly min: string | null;
  readonly max: string | null;
}

/** A form's min–max settings and the questions (numbers, dates) one may be set on. */
export interface FieldRanges {
  readonly ranges: readonly FieldRange[];
  readonly fields: ReadonlyArray<QualityField & { readonly type: string }>;
}

export interface QualityReport {
  readonly form: string;
  readonly version: string;
  readonly submissions: number;
  readonly missing: ReadonlyArray<
    QualityField & {
      readonly conditional: boolean;
      readonly missing: number;
      readonly records: readonly QualityRecord[];
    }
  >;
  readonly outOfRange: ReadonlyArray<
    QualityField & {
      /** The form's own constraint, or the min–max an administrator set. */
      readonly source: 'constraint' | 'setting';
      readonly range: { readonly min: number | string | null; readonly max: number | string | null };
      readonly count: number;
      readonly records: ReadonlyArray<QualityRecord & { readonly value: string }>;
    }
  >;
  readonly newerVersion: {
    readonly checked: number;
    readonly olderTotal: number;
    readonly records: ReadonlyArray<
      QualityRecord & {
        readonly version: string;
        readonly problems: ReadonlyArray<{ readonly field: string; readonly condition: string }>;
      }
    >;
  };
}

export interface FeedKey {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** How a dashboard row is grouped: choice keys are labelled from the forms, the others by the app. */
export type DashboardDimension =
  | { readonly kind: 'choice'; readonly list: string; readonly property: string }
  | { readonly kind: 'month' | 'area' | 'worker' | 'list' | 'age' };

/** One chart's data as the server counted it (its rows are the chart's CSV). */
export interface DashboardPanel {
  readonly id: string;
  readonly chart: 'bar' | 'stacked' | 'line' | 'combo';
  readonly dimensions: readonly DashboardDimension[];
  readonly measures: readonly string[];
  readonly rows: ReadonlyArray<{ readonly keys: readonly string[]; readonly values: ReadonlyArray<number | null> }>;
  /** Cells under `minimumCell` records left out for a reader without exact locations. */
  readonly suppressed: number;
}

export interface DashboardMapCell {
  readonly id: string;
  readonly lat: number;
  readonly lon: number;
  readonly polygon: ReadonlyArray<readonly [number, number]>;
  readonly count: number;
}

/** A project's dashboard, as GET /projects/:id/dashboard answers it. */
export interface Dashboard {
  readonly template: string | null;
  readonly records: number;
  readonly minimumCell: number;
  readonly exactLocations: boolean;
  readonly panels: readonly DashboardPanel[];
  readonly map: {
    readonly hexMetres: number;
    readonly cells: readonly DashboardMapCell[];
    readonly suppressed: number;
  };
  /** Area names per language, by the ids the panels key areas by. */
  readonly areas: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Worker keys with their names, null where the reader may not see names. */
  readonly workers: Readonly<Record<string, string | null>>;
}

/** What a web export may be written as, and in which language its labels (none: names, as Central). */
export type ExportFormat = 'csv' | 'xlsx' | 'geojson';
export type ExportLanguage = 'en' | 'mn' | 'tpi';

/** An export the user started, as POST …/exports and GET …/exports/:id answer it. */
export interface ExportJob {
  readonly id: string;
  readonly state: 'running' | 'done' | 'failed' | 'cancelled';
  /** Submissions written so far, of the form's `total` (the policy may leave some out). */
  readonly written: number;
  readonly total: number;
  readonly format: string;
  readonly fileName: string;
  readonly error: string | null;
}

export interface AnalysisApi {
  startExport(
    projectId: string,
    formId: string,
    options: { readonly format: ExportFormat; readonly lang?: ExportLanguage },
  ): Promise<ExportJob>;
  exportProgress(projectId: string, jobId: string): Promise<ExportJob>;
  cancelExport(projectId: string, jobId: string): Promise<void>;
  /** The address of a finished export's file, for a download link (the session cookie goes along). */
  exportFileUrl(projectId: string, jobId: string): string;
  qualityReport(projectId: string, formId: string): Promise<QualityReport>;
  fieldRanges(projectId: string, formId: string): Promise<FieldRanges>;
  /** Replaces every min–max of the form (who manages the project); answers them as stored. */
  setFieldRanges(projectId: string, formId: string, ranges: readonly FieldRange[]): Promise<FieldRanges>;
  dashboard(projectId: string): Promise<Dashboard>;
  listFeedKeys(): Promise<readonly FeedKey[]>;
  /** A new key: `key` is shown once and never again. */
  createFeedKey(name: string): Promise<FeedKey & { readonly key: string }>;
  revokeFeedKey(id: string): Promise<void>;
}
