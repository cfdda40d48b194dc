// The analysis screen's half of the API: a form's data-quality report and the user's OData feed
// keys, as the server's /projects/:id/forms/:formId/quality and /me/feed-keys routes answer them.

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

export interface AnalysisApi {
  qualityReport(projectId: string, formId: string): Promise<QualityReport>;
  listFeedKeys(): Promise<readonly FeedKey[]>;
  /** A new key: `key` is shown once and never again. */
  createFeedKey(name: string): Promise<FeedKey & { readonly key: string }>;
  revokeFeedKey(id: string): Promise<void>;
}
