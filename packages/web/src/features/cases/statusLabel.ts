import type { I18n } from '../../i18n/createI18n.js';
import { emptyVocabulary, type ProjectVocabulary } from '../forms/formVocabulary.js';

/**
 * A case status in words: the label the project's forms give it in the chosen language, else the
 * app's own word for the common statuses, else the form's label in its default language. Only a
 * status no form and no catalog names shows as it is stored.
 */
export function statusLabel(
  i18n: I18n,
  status: string,
  context: { readonly vocabulary: ProjectVocabulary; readonly list: string } = {
    vocabulary: emptyVocabulary,
    list: '',
  },
): string {
  const fromForms = context.vocabulary.statusLabel(context.list, status, i18n.language());
  if (fromForms?.inLanguage === true) return fromForms.label;
  return i18n.find(`status.${status}`) ?? fromForms?.label ?? status;
}
