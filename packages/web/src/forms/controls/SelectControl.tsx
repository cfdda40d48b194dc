import type { SelectNode } from '@getodk/xforms-engine';
import { createSignal, For, Match, Show, Switch, type JSX } from 'solid-js';
import { useFormUi } from '../FormUi.js';
import type { ControlProps } from '../QuestionView.jsx';

// Beyond this many choices a list is long enough to need a filter box (soums, khoroos, cases).
const filterFrom = 12;

/**
 * select_one as radio buttons, select_multiple as checkboxes: every choice visible and a large
 * touch target. `minimal` asks for a compact drop-down; long lists and `search` get a filter box.
 * Choice filters and choices from a file (`select_one_from_file`) arrive already resolved in
 * `valueOptions`.
 */
export function SelectControl(props: ControlProps<SelectNode>): JSX.Element {
  const { i18n } = useFormUi();
  const { t } = i18n;
  const node = props.node;
  const single = node.selectType === 'select1';
  const [filter, setFilter] = createSignal('');
  const options = () => node.currentState.valueOptions;
  const shown = () => {
    const needle = filter().trim().toLocaleLowerCase();
    return needle === ''
      ? options()
      : options().filter((o) => o.label.asString.toLocaleLowerCase().includes(needle) || node.isSelected(o.value));
  };
  const wantsFilter = (): boolean => node.appearances['search'] === true || options().length > filterFrom;
  const toggle = (value: string, on: boolean): void => {
    const current = node.currentState.value;
    node.selectValues(on ? [...current.filter((v) => v !== value), value] : current.filter((v) => v !== value));
    props.onTouched();
  };
  return (
    <Switch>
      <Match when={single && node.appearances['minimal'] === true}>
        <select
          id={props.id}
          class="question__input"
          name={node.currentState.reference}
          disabled={node.currentState.readonly}
          aria-invalid={props.invalid}
          onChange={(e) => {
            node.selectValue(e.currentTarget.value === '' ? null : e.currentTarget.value);
            props.onTouched();
          }}
        >
          <option value="" selected={node.currentState.value.length === 0}>
            {t('form.select.choose')}
          </option>
          <For each={options()}>
            {(option) => (
              <option value={option.value} selected={node.isSelected(option.value)}>
                {option.label.asString}
              </option>
            )}
          </For>
        </select>
      </Match>
      <Match when={true}>
        <Show when={wantsFilter()}>
          <input
            type="search"
            class="question__input choice-filter"
            placeholder={t('form.select.filter')}
            aria-label={t('form.select.filter')}
            value={filter()}
            onInput={(e) => setFilter(e.currentTarget.value)}
          />
        </Show>
        <div class="choices" classList={{ 'choices--columns': options().length > 6 }}>
          <For each={shown()}>
            {(option) => (
              <label class="choice">
                <input
                  type={single ? 'radio' : 'checkbox'}
                  name={node.currentState.reference}
                  value={option.value}
                  checked={node.isSelected(option.value)}
                  disabled={node.currentState.readonly}
                  onChange={(e) => {
                    if (single) {
                      node.selectValue(option.value);
                      props.onTouched();
                    } else {
                      toggle(option.value, e.currentTarget.checked);
                    }
                  }}
                />
                <span>{option.label.asString}</span>
              </label>
            )}
          </For>
        </div>
        <Show when={single && !node.currentState.readonly && node.currentState.value.length > 0}>
          <button
            type="button"
            class="button button--subtle question__clear"
            onClick={() => {
              node.selectValue(null);
              props.onTouched();
            }}
          >
            {t('form.select.clear')}
          </button>
        </Show>
      </Match>
    </Switch>
  );
}
