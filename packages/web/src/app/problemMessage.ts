import { ApiProblem } from '../api/ApiProblem.js';
import type { I18n } from '../i18n/createI18n.js';

export interface ProblemMessage {
  /** In the user's language when the code is known. */
  readonly message: string;
  /** The server's own words (`detail`), shown beneath so support can match it to the logs. */
  readonly detail: string | undefined;
}

export function problemMessage(i18n: I18n, error: unknown): ProblemMessage {
  if (error instanceof ApiProblem) {
    const known = i18n.find(`problem.${error.code}`);
    const detail = error.code === 'network.unreachable' ? undefined : error.detail;
    if (known !== undefined) return { message: known, detail: detail === known ? undefined : detail };
    return { message: detail ?? error.title, detail: undefined };
  }
  return { message: i18n.t('problem.unknown'), detail: undefined };
}
