// The whole contract between the screens and the server. Screens get an OutpostApi from the app
// context, so a test can hand them createMemoryApi() instead of the HTTP client.

import type { BasemapApi } from './BasemapApi.js';
import type { AdminApi } from './AdminApi.js';
import type { AnalysisApi } from './AnalysisApi.js';
import type { CasesApi } from './CasesApi.js';
import type { FoldersApi } from './FoldersApi.js';
import type { FormsAdminApi } from './FormsAdminApi.js';
import type { ReviewApi } from './ReviewApi.js';

export type * from './AdminApi.js';
export type * from './AnalysisApi.js';
export type * from './CasesApi.js';
export type * from './FormsAdminApi.js';

export interface User {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: string;
}

export interface Session {
  readonly user: User;
  readonly csrfToken: string;
  /**
   * An administrator or supervisor who has no authenticator yet: until they enrol one, the server
   * answers only /me, logout and the enrolment calls. Absent means false.
   */
  readonly twoFactorEnrolmentRequired?: boolean;
  /**
   * The device registered by this sign-in, when it asked for one and the second factor (if any) is
   * in place: the token is its credential for sync (`Authorization: Bearer`), shown only once.
   */
  readonly device?: DeviceRegistration;
}

export interface DeviceRegistration {
  readonly id: string;
  readonly token: string;
}

/** What a tablet tells the server about itself when it signs in; the name shows in the device list. */
export interface DeviceRequest {
  readonly name: string;
}

export interface ProjectSummary {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  /** The user's role in the project; null for an administrator who manages it without being a member. */
  readonly role: string | null;
  /**
   * Whether this user may submit forms here (core/policy `canSubmitForm`); false hides "Fill a
   * form". Absent (an older answer kept offline) counts as true: the server still decides.
   */
  readonly canSubmit?: boolean;
}

export interface CaseSummary {
  readonly id: string;
  readonly list: string;
  /** Null when the role may not see the label (a name). */
  readonly label: string | null;
  readonly status: string;
  readonly area: { readonly id: string; readonly name: string } | null;
  /** The display name of the user the case is assigned to; null when none (or the label is hidden). */
  readonly assignee: string | null;
  /** ISO 8601 */
  readonly updatedAt: string;
}

export interface CasePage {
  readonly items: readonly CaseSummary[];
  readonly total: number;
}

export interface CaseQuery {
  readonly q?: string;
  readonly limit: number;
  readonly offset: number;
}

/**
 * A published form as the project's form list shows it: the latest version of each form, only
 * those the user may submit (the server decides with core/policy `canSubmitForm`).
 */
export interface FormSummary {
  /** The XForm id (`form_id` in the XLSForm settings). */
  readonly formId: string;
  readonly version: string;
  readonly title: string;
}

/** What the server answered to an accepted submission. */
export interface SubmissionReceipt {
  /** The XForm `instanceID` the submission is known by. */
  readonly instanceId: string;
  /** false when the server already had it (a retried finalize): still a success. */
  readonly created: boolean;
}

/** Every method rejects with an ApiProblem when the server says no or cannot be reached. */
export interface OutpostApi extends AdminApi, FormsAdminApi, CasesApi, ReviewApi, FoldersApi, AnalysisApi, BasemapApi {
  /**
   * An account with an authenticator is refused as 401 `auth.totp-required` until `totp` (6 digits)
   * is sent along; a wrong code is refused like a wrong password (`auth.invalid-credentials`).
   */
  login(username: string, password: string, totp?: string, device?: DeviceRequest): Promise<Session>;
  /** The current session, or null when nobody is signed in (401 `auth.required`). */
  me(): Promise<Session | null>;
  logout(): Promise<void>;
  listProjects(): Promise<readonly ProjectSummary[]>;
  listCases(projectId: string, query: CaseQuery): Promise<CasePage>;
  listForms(projectId: string): Promise<readonly FormSummary[]>;
  /** The compiled XForm of one version, as text. */
  getFormXml(projectId: string, formId: string, version: string): Promise<string>;
  /** A form attachment (`jr://file/<name>`, `jr://file-csv/<name>`), e.g. `cases.csv` for select_one_from_file. */
  getFormAttachment(projectId: string, formId: string, version: string, name: string): Promise<Blob>;
  /**
   * Sends a finalized instance. A refusal is an ApiProblem `submission.invalid` whose `field` names the
   * question (its XForm reference, e.g. `/data/head/head_register_number`).
   */
  submit(projectId: string, instanceXml: string): Promise<SubmissionReceipt>;
}
