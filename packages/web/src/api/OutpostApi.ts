// The whole contract between the screens and the server. Screens get an OutpostApi from the app
// context, so a test can hand them createMemoryApi() instead of the HTTP client.

export interface User {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: string;
}

export interface Session {
  readonly user: User;
  readonly csrfToken: string;
}

export interface ProjectSummary {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly role: string;
}

export interface CaseSummary {
  readonly id: string;
  readonly list: string;
  readonly label: string;
  readonly status: string;
  readonly area: { readonly id: string; readonly name: string } | null;
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

/** Every method rejects with an ApiProblem when the server says no or cannot be reached. */
export interface OutpostApi {
  login(username: string, password: string): Promise<Session>;
  /** The current session, or null when nobody is signed in (401 `auth.required`). */
  me(): Promise<Session | null>;
  logout(): Promise<void>;
  listProjects(): Promise<readonly ProjectSummary[]>;
  listCases(projectId: string, query: CaseQuery): Promise<CasePage>;
}
