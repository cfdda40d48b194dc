import { ApiProblem } from './ApiProblem.js';
import type { CaseSummary, OutpostApi, ProjectSummary, Session, User } from './OutpostApi.js';

export interface MemoryAccount {
  readonly user: User;
  readonly password: string;
}

export interface MemoryApiData {
  readonly accounts: readonly MemoryAccount[];
  readonly projects: readonly ProjectSummary[];
  /** Cases per project id. */
  readonly cases: Readonly<Record<string, readonly CaseSummary[]>>;
}

/**
 * An OutpostApi over plain data, answering as the server's contract says (same problem codes, same
 * paging), so screens and models can be tested without HTTP. Search matches `q` against the label,
 * ignoring case.
 */
export function createMemoryApi(data: MemoryApiData): OutpostApi {
  let current: Session | null = null;
  let issued = 0;

  const requireSession = (): Session => {
    if (!current) throw problem(401, 'auth.required', 'Authentication required');
    return current;
  };

  return {
    login: (username, password) =>
      answer(() => {
        if (username === '' || password === '') throw problem(400, 'request.invalid', 'Invalid request');
        const account = data.accounts.find((a) => a.user.username === username && a.password === password);
        if (!account) throw problem(401, 'auth.invalid-credentials', 'Invalid credentials');
        issued += 1;
        current = { user: account.user, csrfToken: `csrf-${issued}` };
        return current;
      }),
    me: () => answer(() => current),
    logout: () =>
      answer(() => {
        requireSession();
        current = null;
      }),
    listProjects: () =>
      answer(() => {
        requireSession();
        return data.projects;
      }),
    listCases: (projectId, query) =>
      answer(() => {
        requireSession();
        const all = data.cases[projectId];
        if (!all) throw problem(404, 'project.not-found', 'Project not found');
        const needle = query.q?.trim().toLowerCase() ?? '';
        const matching = all
          .filter((c) => needle === '' || c.label.toLowerCase().includes(needle))
          .toSorted((a, b) => b.updatedAt.localeCompare(a.updatedAt));
        return { items: matching.slice(query.offset, query.offset + query.limit), total: matching.length };
      }),
  };
}

/** Like the HTTP client, answers only asynchronously and reports every problem as a rejection. */
function answer<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function problem(status: number, code: string, title: string): ApiProblem {
  return new ApiProblem({ type: 'about:blank', title, status, code, detail: title });
}
