import type { I18n } from '../../i18n/createI18n.js';
import type { ProjectVocabulary } from './formVocabulary.js';

/** The templates' entity lists: the app's catalogs name them in every language. */
const TEMPLATE_LISTS = ['cases', 'incidents', 'observations', 'protected_areas', 'requests'] as const;

/**
 * An entity list's name on screen, the one way every screen names a list (the dashboards, the
 * possible-duplicates picker, the register import): the app's word for the templates' lists in
 * the chosen language, else the title of the form that creates its cases (a registration), else of
 * any form that fills it, else the list's own name.
 */
export function listName(list: string, vocabulary: ProjectVocabulary, i18n: Pick<I18n, 't'>): string {
  if ((TEMPLATE_LISTS as readonly string[]).includes(list)) {
    return i18n.t(`entityList.${list as (typeof TEMPLATE_LISTS)[number]}`);
  }
  const filling = vocabulary.forms.filter((f) => f.dataset === list && f.title !== '');
  return (filling.find((f) => f.creates === true) ?? filling[0])?.title ?? list;
}
