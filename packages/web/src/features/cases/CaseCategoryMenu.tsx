import { createSignal, For, Show, type JSX } from 'solid-js';
import type { CaseCategoryDefinition } from '../../api/FoldersApi.js';
import { useApp } from '../../app/AppContext.js';
import { problemMessage } from '../../app/problemMessage.js';
import { categoryName } from './CaseActions.jsx';

/**
 * The project's categories of one case in the list, as checkboxes: a tick tags it, an untick
 * untags it, sent at once as a tag action on the version the device holds (the server refuses it
 * when the case changed since; the next sync brings the new version).
 */
export function CaseCategoryMenu(props: {
  projectId: string;
  caseId: string;
  caseLabel: string;
  version: number;
  tagged: readonly string[];
  categories: readonly CaseCategoryDefinition[];
  onTagged: () => void;
}): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const toggle = async (code: string, on: boolean): Promise<void> => {
    const next = new Set(props.tagged);
    if (on) next.add(code);
    else next.delete(code);
    setBusy(true);
    setError(null);
    try {
      await api.caseAction(props.projectId, props.caseId, props.version, {
        action: 'tag',
        categories: [...next].sort(),
      });
      props.onTagged();
    } catch (caught) {
      setError(problemMessage(i18n, caught).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="case-actions case-categories-menu">
      <summary class="button button--subtle" aria-label={t('caseList.categoriesFor', { name: props.caseLabel })}>
        {t('caseList.categoryFilter')}
      </summary>
      <div class="case-actions__menu">
        <For each={props.categories}>
          {(category) => (
            <label class="case-folders__choice">
              <input
                type="checkbox"
                value={category.code}
                checked={props.tagged.includes(category.code)}
                disabled={busy()}
                onChange={(event) => void toggle(category.code, event.currentTarget.checked)}
              />
              <span>{categoryName(category, i18n.language())}</span>
            </label>
          )}
        </For>
        <Show when={error()}>{(message) => <p role="alert">{message()}</p>}</Show>
      </div>
    </details>
  );
}
