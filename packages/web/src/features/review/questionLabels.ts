import { inLanguage, readFormWords, type ChoiceLabels } from '../forms/formVocabulary.js';

/**
 * The label of each question of a form by its path under the instance root (`/head/head_given_name`)
 * and language code, read from the form's XML (itext `…:label` texts, or a plain `<label>`), so a
 * submission's answers are shown under the form's own words rather than their names.
 */
export type QuestionLabels = ReadonlyMap<string, Readonly<Record<string, string>>>;

/** The choices of each select question by path under the root: labels by language, by value. */
export type AnswerChoices = ReadonlyMap<string, ReadonlyMap<string, ChoiceLabels>>;

/** What the review screen reads from a form to show answers in its words. */
export interface FormLabels {
  readonly questions: QuestionLabels;
  readonly choices: AnswerChoices;
  /** The form's default language code ('' when it has none). */
  readonly defaultLanguage: string;
}

export const noFormLabels: FormLabels = { questions: new Map(), choices: new Map(), defaultLanguage: '' };

/** The question labels and choice labels of a form (the choices read as the case screens read them). */
export function readFormLabels(xml: string, parser: DOMParser = new DOMParser()): FormLabels {
  const words = readFormWords(xml, parser);
  return {
    questions: readQuestionLabels(xml, parser),
    choices: words?.questionChoices ?? new Map(),
    defaultLanguage: words?.defaultLanguage ?? '',
  };
}

/**
 * An answer as shown: a select answer by its choices' labels in `language` (a select_multiple's
 * space-separated values each named, joined by commas); any other answer, or a value the form's
 * lists do not name (a choice from an attached file), as it is.
 */
export function answerText(labels: FormLabels, path: string, value: string, language: string): string {
  const choices = labels.choices.get(path.replace(/\[\d+\]/g, ''));
  if (choices === undefined || value.trim() === '') return value;
  return value
    .trim()
    .split(/\s+/)
    .map((v) => {
      const named = choices.get(v);
      return named === undefined ? v : (inLanguage(named, language, labels.defaultLanguage) ?? v);
    })
    .join(', ');
}

const XFORMS = 'http://www.w3.org/2002/xforms';

function languageCode(lang: string): string {
  return /\(([^)]+)\)\s*$/.exec(lang)?.[1] ?? lang;
}

export function readQuestionLabels(xml: string, parser: DOMParser = new DOMParser()): QuestionLabels {
  const doc = parser.parseFromString(xml, 'application/xml');
  const labels = new Map<string, Record<string, string>>();
  if (doc.getElementsByTagName('parsererror').length > 0) return labels;
  const underRoot = (ref: string): string => ref.replace(/^\/[^/]+/, '');
  for (const translation of doc.getElementsByTagNameNS(XFORMS, 'translation')) {
    const code = languageCode(translation.getAttribute('lang') ?? '');
    for (const text of translation.getElementsByTagNameNS(XFORMS, 'text')) {
      const id = text.getAttribute('id') ?? '';
      if (!id.endsWith(':label')) continue;
      const value = [...text.getElementsByTagNameNS(XFORMS, 'value')].find((v) => !v.hasAttribute('form'));
      const words = value?.textContent?.trim() ?? '';
      if (words === '') continue;
      const path = underRoot(id.slice(0, -':label'.length));
      labels.set(path, { ...labels.get(path), [code]: words });
    }
  }
  // Forms without translations: the control's own <label>.
  for (const label of doc.getElementsByTagNameNS(XFORMS, 'label')) {
    const control = label.parentElement;
    const ref = control?.getAttribute('ref') ?? control?.getAttribute('nodeset') ?? '';
    const words = label.textContent?.trim() ?? '';
    if (ref.startsWith('/') && words !== '' && !label.hasAttribute('ref') && !labels.has(underRoot(ref))) {
      labels.set(underRoot(ref), { '': words });
    }
  }
  return labels;
}

/** The label of the question at `path` (repeat positions `[2]` ignored) in `language`, if the form names it. */
export function questionLabel(labels: QuestionLabels, path: string, language: string): string | undefined {
  const byLanguage = labels.get(path.replace(/\[\d+\]/g, ''));
  if (byLanguage === undefined) return undefined;
  return byLanguage[language] ?? byLanguage[''] ?? Object.values(byLanguage)[0];
}

/** The answers of a submission as `[path, value]` pairs, groups and repeats walked in order; `meta` left out. */
export function answersOf(data: Readonly<Record<string, unknown>>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') out.push([path, value]);
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i + 1}]`));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value))
        if (!k.startsWith('@') && !(path === '' && k === 'meta')) walk(v, `${path}/${k}`);
    }
  };
  walk(data, '');
  return out;
}
