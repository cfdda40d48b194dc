import type { SelectNode } from '@getodk/xforms-engine';
import { createMemo, createSignal, For, Match, Show, Switch, type JSX } from 'solid-js';
import { pickerChoices, pickerFrom, pickerShown, pickerView } from '../choicePicker.js';
import { useFormUi } from '../FormUi.js';
import type { ControlProps } from '../QuestionView.jsx';

/**
 * select_one as radio buttons, select_multiple as checkboxes: every choice visible and a large
 * touch target. `minimal` asks for a compact drop-down. Long lists and `search` are a searchable
 * picker (`choicePicker.ts`): a filter box, the first matches only, and under each choice what
 * tells it apart (a case's area and register number). Choice filters and choices from a file
 * (`select_one_from_file`) arrive already resolved in `valueOptions`.
 */
export function SelectControl(props: ControlProps<SelectNode>): JSX.Element {
  const { i18n } = useFormUi();
  const { t } = i18n;
  const node = props.node;
  const single = node.selectType === 'select1';
  const [filter, setFilter] = createSignal('');
  const options = () => node.currentState.valueOptions;
  const wantsFilter = (): boolean => node.appearances['search'] === true || options().length > pickerFrom;
  const choices = createMemo(() => pickerChoices(options(), i18n.language()));
  // A picker with its one answer given (a visit started from its case) shows just that answer
  // until the worker types to choose another.
  const limit = (): number => {
    if (!wantsFilter()) return Infinity;
    const answered = single && filter().trim() === '' && node.currentState.value.length > 0;
    return answered ? 0 : pickerShown;
  };
  const view = createMemo(() =>
    pickerView(choices(), wantsFilter() ? filter() : '', (v) => node.isSelected(v), limit()),
  );
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
            aria-controls={`${props.id}-choices`}
            autocomplete="off"
            value={filter()}
            onInput={(e) => setFilter(e.currentTarget.value)}
          />
        </Show>
        <div id={`${props.id}-choices`} class="choices" classList={{ 'choices--columns': view().shown.length > 6 }}>
          <For each={view().shown}>
            {(choice) => (
              <label class="choice">
                <input
                  type={single ? 'radio' : 'checkbox'}
                  name={node.currentState.reference}
                  value={choice.option.value}
                  checked={node.isSelected(choice.option.value)}
                  disabled={node.currentState.readonly}
                  onChange={(e) => {
                    if (single) {
                      node.selectValue(choice.option.value);
                      props.onTouched();
                    } else {
                      toggle(choice.option.value, e.currentTarget.checked);
                    }
                  }}
                />
                <span class="choice__text">
                  <span>{choice.label}</span>
                  <Show when={choice.details.length > 0}>
                    <span class="choice__details">{choice.details.join(' · ')}</span>
                  </Show>
                </span>
              </label>
            )}
          </For>
        </div>
        <Show when={wantsFilter()}>
          <p class="choice-count" aria-live="polite">
            {view().matching === 0
              ? t('form.select.noMatch')
              : view().matching > view().shown.length
                ? t('form.select.more', { shown: view().shown.length, total: view().matching })
                : ''}
          </p>
        </Show>
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
