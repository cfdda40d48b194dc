import type { FormIssue, FormQuestion, QuestionChange } from '../../api/FormsAdminApi.js';
import { languages, type I18n } from '../../i18n/createI18n.js';
import type { MessageKey } from '../../i18n/en.js';

const languageCode = (key: string): string | undefined =>
  /\(([\w-]+)\)\s*$/.exec(key)?.[1]?.toLowerCase() ?? (/^[a-z]{2,3}$/i.test(key) ? key.toLowerCase() : undefined);

/** The question's label in the app's language when the form has it, else its default, else its name. */
export function questionLabel(question: FormQuestion, appLanguage: string): string {
  const entries = Object.entries(question.labels).filter(([, text]) => text.trim() !== '');
  const inLanguage = entries.find(([key]) => languageCode(key) === appLanguage);
  const fallback = entries.find(([key]) => key === 'default') ?? entries[0];
  return (inLanguage ?? fallback)?.[1] ?? question.name;
}

/** A form language as the app names it: "Mongolian (mn)" is "Монгол", another loses its code. */
export function formLanguageName(key: string): string {
  const known = languages.find((l) => l.code === languageCode(key));
  return known?.name ?? (key.replace(/\s*\([\w-]+\)\s*$/, '') || key);
}

const aspectKeys = {
  type: 'formsAdmin.aspect.type',
  required: 'formsAdmin.aspect.required',
  relevant: 'formsAdmin.aspect.relevant',
  constraint: 'formsAdmin.aspect.constraint',
  calculation: 'formsAdmin.aspect.calculation',
  readonly: 'formsAdmin.aspect.readonly',
  choices: 'formsAdmin.aspect.choices',
  sensitivity: 'formsAdmin.aspect.sensitivity',
  saveTo: 'formsAdmin.aspect.saveTo',
  repeat: 'formsAdmin.aspect.repeat',
} as const satisfies Readonly<Record<Exclude<QuestionChange['aspect'], 'label'>, MessageKey>>;

/** What changed, in words: "Label (Монгол)", "Required", "Choices". */
export function aspectName(i18n: I18n, change: QuestionChange): string {
  if (change.aspect === 'label') {
    return change.language === null || change.language === 'default'
      ? i18n.t('formsAdmin.aspect.label')
      : i18n.t('formsAdmin.aspect.labelIn', { language: formLanguageName(change.language) });
  }
  return i18n.t(aspectKeys[change.aspect]);
}

const yesNoAspects = new Set<QuestionChange['aspect']>(['required', 'readonly', 'repeat']);

/**
 * A before or after value as the screen shows it: yes/no for the switches (an expression stays as
 * the author wrote it), the sensitivity class in words, "(none)" for nothing.
 */
export function changeValue(i18n: I18n, aspect: QuestionChange['aspect'], value: string | null): string {
  if (yesNoAspects.has(aspect)) {
    if (value === null || value === 'false' || value === 'false()') return i18n.t('formsAdmin.value.no');
    if (value === 'true' || value === 'true()') return i18n.t('formsAdmin.value.yes');
  }
  if (value === null || value === '') return i18n.t('formsAdmin.value.none');
  if (aspect === 'sensitivity') return i18n.find(`formsAdmin.sensitivity.${value}`) ?? value;
  return value;
}

/**
 * An issue's cells: row and column (empty when the issue is about the whole sheet or form), and the
 * compiler's words without the "survey sheet, row 15, column …:" they start with, which the other
 * cells already say.
 */
export function issueCells(issue: FormIssue): { row: string; column: string; message: string } {
  const where = [
    issue.sheet === '' ? null : `${issue.sheet} sheet`,
    issue.row === null ? null : `row ${issue.row}`,
    issue.column === null ? null : `column ${issue.column}`,
  ]
    .filter((part): part is string => part !== null)
    .join(', ');
  const message =
    where !== '' && issue.message.startsWith(`${where}: `) ? issue.message.slice(where.length + 2) : issue.message;
  return { row: issue.row === null ? '' : String(issue.row), column: issue.column ?? '', message };
}
