import type { FormLanguage, FormLanguages } from '@getodk/xforms-engine';
import { languages } from '../i18n/createI18n.js';

/**
 * The form language for an app language: by the locale the engine read from the itext name
 * ("Mongolian (mn)"), else by a "(code)" suffix. undefined when the form does not have it, in which
 * case the form stays in its default language.
 */
export function formLanguageFor(languages: FormLanguages, appLanguage: string): FormLanguage | undefined {
  for (const language of languages) {
    if (language.isSyntheticDefault === true) continue;
    const code = language.locale?.language ?? /\(([\w-]+)\)\s*$/.exec(language.language)?.[1];
    if (code?.toLowerCase() === appLanguage.toLowerCase()) return language;
  }
  return undefined;
}

/**
 * The name to show in the form's language menu: a language the app knows by its own name
 * ("Mongolian (mn)" becomes "Монгол"), any other without its code.
 */
export function formLanguageName(language: FormLanguage): string {
  const code = language.locale?.language ?? /\(([\w-]+)\)\s*$/.exec(language.language)?.[1];
  const known = languages.find((l) => l.code === code?.toLowerCase());
  return known?.name ?? (language.language.replace(/\s*\([\w-]+\)\s*$/, '') || language.language);
}
