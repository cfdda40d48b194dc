import { For, Show, createMemo, createSignal, type JSX } from 'solid-js';
import type { AreaOption } from '../../api/OutpostApi.js';
import { useApp } from '../../app/AppContext.js';
import { areaChoices } from './membershipText.js';

// More than this many matches are cut: a filter narrows them.
const shownAtMost = 300;

/**
 * Checkboxes over a project's area hierarchy (parents before children, indented), with a filter
 * that matches names in every language and codes. Each chosen area includes everything inside it.
 */
export function AreaPicker(props: {
  areas: readonly AreaOption[];
  chosen: ReadonlySet<string>;
  onToggle: (code: string, on: boolean) => void;
}): JSX.Element {
  const { i18n } = useApp();
  const { t } = i18n;
  const [filter, setFilter] = createSignal('');
  const choices = createMemo(() => areaChoices(i18n, props.areas));
  const shown = createMemo(() => {
    const needle = filter().trim().toLocaleLowerCase();
    const matching = needle === '' ? choices() : choices().filter((c) => c.search.includes(needle));
    return matching.slice(0, shownAtMost);
  });
  return (
    <fieldset class="area-picker">
      <legend class="field__label">{t('members.areas')}</legend>
      <label class="field">
        <span class="field__label">{t('members.areasFilter')}</span>
        <input type="search" autocomplete="off" value={filter()} onInput={(e) => setFilter(e.currentTarget.value)} />
      </label>
      <p class="field__hint" aria-live="polite">
        {t('members.areasChosen', { count: String(props.chosen.size) })}
      </p>
      <Show when={props.areas.length > 0} fallback={<p class="empty">{t('members.areasEmpty')}</p>}>
        <ul class="area-picker__list">
          <For each={shown()}>
            {(choice) => (
              <li class={`area-picker__item area-picker__item--depth-${Math.min(choice.depth, 4)}`}>
                <label class="area-picker__label">
                  <input
                    type="checkbox"
                    value={choice.code}
                    checked={props.chosen.has(choice.code)}
                    onChange={(e) => props.onToggle(choice.code, e.currentTarget.checked)}
                  />
                  <span>{choice.name}</span>
                  <Show when={choice.parent}>{(parent) => <span class="area-picker__parent">{parent()}</span>}</Show>
                </label>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </fieldset>
  );
}
