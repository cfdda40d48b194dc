import { ApiProblem } from '../transport/ApiProblem.js';
import type { I18n } from '../i18n/createI18n.js';

export interface ProblemMessage {
  /** Always in the user's language: the code's message, or a generic one for a code the app does not know. */
  readonly message: string;
  /**
   * The server's own words (`detail`), shown beneath so support can match it to the logs. They are
   * English, so they are shown only to a user reading English; other languages never see server text.
   */
  readonly detail: string | undefined;
}

/**
 * A problem code in the user's words: `problem.<code>.<field>` when the server named the field that
 * failed (e.g. `user.invalid` on `password`), else `problem.<code>`, else the generic message.
 * Never the raw code: a code this version does not know reads "Something went wrong.".
 */
export function problemText(i18n: I18n, code: string, field?: string): string {
  const specific = field !== undefined && /^\w+$/.test(field) ? i18n.find(`problem.${code}.${field}`) : undefined;
  return specific ?? i18n.find(`problem.${code}`) ?? i18n.t('problem.unknown');
}

export function problemMessage(i18n: I18n, error: unknown): ProblemMessage {
  if (error instanceof ApiProblem) {
    const message = problemText(i18n, error.code, error.field);
    const detail = i18n.language() === 'en' && error.code !== 'network.unreachable' ? error.detail : undefined;
    return { message, detail: detail === message ? undefined : detail };
  }
  return { message: i18n.t('problem.unknown'), detail: undefined };
}
