import type { RegisterProblem } from '../api/CasesApi.js';
import type { FormIssue } from '../api/FormsAdminApi.js';

/** An RFC 9457 problem as the server sends it (`application/problem+json`), or one made up on the client. */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  /** Which question a refused submission failed on (its XForm reference or field name). */
  readonly field?: string;
  /** Every problem of a refused XLSForm (`form.invalid`), each with its sheet, row and column. */
  readonly errors?: readonly FormIssue[];
  /** Every problem of a refused register (`import.invalid`), each with its row and column. */
  readonly problems?: readonly RegisterProblem[];
  /** The case a merged case was merged into (`entity.merged` on reading it), when the reader may open it. */
  readonly mergedInto?: MergedInto;
}

/** A survivor of a merge as the reader may see it: its id, and its name unless the role is not shown names. */
export interface MergedInto {
  readonly id: string;
  readonly label: string | null;
}

function mergedIntoOf(value: unknown): MergedInto | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, label } = value as Record<string, unknown>;
  if (typeof id !== 'string' || (typeof label !== 'string' && label !== null)) return undefined;
  return { id, label };
}

export class ApiProblem extends Error {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string | undefined;
  readonly field: string | undefined;
  readonly errors: readonly FormIssue[];
  readonly problems: readonly RegisterProblem[];
  readonly mergedInto: MergedInto | undefined;
  /** The answer's body as it came (for clients that read more of it, like the sync client). */
  readonly body: unknown;

  constructor(body: ProblemBody, raw: unknown = body) {
    super(body.detail ?? body.title);
    this.name = 'ApiProblem';
    this.type = body.type;
    this.title = body.title;
    this.status = body.status;
    this.code = body.code;
    this.detail = body.detail;
    this.field = body.field;
    this.errors = Array.isArray(body.errors) ? body.errors : [];
    this.problems = Array.isArray(body.problems) ? body.problems : [];
    this.mergedInto = mergedIntoOf(body.mergedInto);
    this.body = raw;
  }

  /** A request that never got an answer: offline, DNS, server down. Status 0 as in fetch. */
  static unreachable(cause: unknown): ApiProblem {
    const problem = new ApiProblem({
      type: 'about:blank',
      title: 'Network unreachable',
      status: 0,
      code: 'network.unreachable',
      detail: cause instanceof Error ? cause.message : String(cause),
    });
    return problem;
  }
}

export function isProblemBody(value: unknown): value is ProblemBody {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record['code'] === 'string' && typeof record['status'] === 'number' && typeof record['title'] === 'string'
  );
}
