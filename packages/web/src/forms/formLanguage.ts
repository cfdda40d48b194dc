import type { FormLanguage, FormLanguages } from '@getodk/xforms-engine';

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

/** The name to show in the form's language menu: "Mongolian (mn)" becomes "Mongolian". */
export function formLanguageName(language: FormLanguage): string {
  return language.language.replace(/\s*\([\w-]+\)\s*$/, '') || language.language;
}
