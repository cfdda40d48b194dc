import type { RegisterProblem } from '../../api/CasesApi.js';
import type { I18n } from '../../i18n/createI18n.js';

// The names in a register's header are the file's own words; these stay as typed in any language.
const fileWords = { csv: '.csv', xlsx: '.xlsx', label: '"label"', id: '"__id"' } as const;

/** A register problem in the app's language: by its code (and what the column takes), never the server's English. */
export function registerProblemText(i18n: I18n, problem: RegisterProblem): string {
  const code = problem.code.replace(/^import\./, '');
  if (code === 'bad-value' && problem.expected !== undefined) {
    return i18n.t(`import.problem.bad-value.${problem.expected}`);
  }
  if (code === 'label-missing') return i18n.t('import.problem.label-missing', { label: fileWords.label });
  if (code === 'file-type') return i18n.t('import.problem.file-type', fileWords);
  return i18n.find(`import.problem.${code}`) ?? i18n.t('import.problem.other');
}

/** Where it is: "2", or the whole file. */
export function registerProblemRow(i18n: I18n, problem: RegisterProblem): string {
  return problem.row === null ? i18n.t('import.wholeFile') : String(problem.row);
}

export const importIntroWords = fileWords;
