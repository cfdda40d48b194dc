import { ApiProblem, type ProblemBody } from './ApiProblem.js';
import type { CaseSummary, FormSummary, OutpostApi, ProjectSummary, Session, User } from './OutpostApi.js';

export interface MemoryAccount {
  readonly user: User;
  readonly password: string;
}

export interface MemoryApiData {
  readonly accounts: readonly MemoryAccount[];
  readonly projects: readonly ProjectSummary[];
  /** Cases per project id. */
  readonly cases: Readonly<Record<string, readonly CaseSummary[]>>;
  /** Published forms per project id. */
  readonly forms?: Readonly<Record<string, readonly MemoryForm[]>>;
  /**
   * Plays the server's checks on a submission: a problem refuses it (as 422 `submission.invalid`
   * would), null accepts it. Without it every submission is accepted.
   */
  readonly judgeSubmission?: (projectId: string, instanceXml: string) => Omit<ProblemBody, 'type'> | null;
}

export interface MemoryForm {
  readonly summary: FormSummary;
  readonly xml: string;
  /** Attachment text by file name, e.g. `cases.csv`. */
  readonly attachments?: Readonly<Record<string, string>>;
}

export interface MemorySubmission {
  readonly projectId: string;
  readonly instanceId: string;
  readonly xml: string;
}

/** The memory API also shows what was submitted, as the server's database would. */
export interface MemoryApi extends OutpostApi {
  readonly submissions: readonly MemorySubmission[];
}

/**
 * An OutpostApi over plain data, answering as the server's contract says (same problem codes, same
 * paging), so screens and models can be tested without HTTP. Search matches `q` against the label,
 * ignoring case.
 */
export function createMemoryApi(data: MemoryApiData): MemoryApi {
  let current: Session | null = null;
  let issued = 0;
  const submissions: MemorySubmission[] = [];

  const formOf = (projectId: string, formId: string, version: string): MemoryForm => {
    const form = data.forms?.[projectId]?.find((f) => f.summary.formId === formId && f.summary.version === version);
    if (!form) throw problem(404, 'form.not-found', 'Form not found');
    return form;
  };

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
    listForms: (projectId) =>
      answer(() => {
        requireSession();
        if (!data.projects.some((p) => p.id === projectId)) throw problem(404, 'project.not-found', 'Project not found');
        return (data.forms?.[projectId] ?? []).map((f) => f.summary);
      }),
    getFormXml: (projectId, formId, version) =>
      answer(() => {
        requireSession();
        return formOf(projectId, formId, version).xml;
      }),
    getFormAttachment: (projectId, formId, version, name) =>
      answer(() => {
        requireSession();
        const text = formOf(projectId, formId, version).attachments?.[name];
        if (text === undefined) throw problem(404, 'form.attachment-not-found', 'Attachment not found');
        return new Blob([text], { type: name.endsWith('.csv') ? 'text/csv' : 'application/octet-stream' });
      }),
    submit: (projectId, instanceXml) =>
      answer(() => {
        requireSession();
        const refusal = data.judgeSubmission?.(projectId, instanceXml) ?? null;
        if (refusal) throw new ApiProblem({ type: 'about:blank', ...refusal });
        const instanceId = /<instanceID>([^<]+)<\/instanceID>/.exec(instanceXml)?.[1] ?? '';
        const created = !submissions.some((s) => s.instanceId === instanceId);
        if (created) submissions.push({ projectId, instanceId, xml: instanceXml });
        return { instanceId, created };
      }),
    get submissions() {
      return submissions;
    },
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
