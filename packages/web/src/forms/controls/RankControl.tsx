import type { RankNode } from '@getodk/xforms-engine';
import { For, type JSX } from 'solid-js';
import { useFormUi } from '../FormUi.js';
import type { ControlProps } from '../QuestionView.jsx';

/** Rank with buttons instead of drag and drop: works with a finger, a stylus and a screen reader. */
export function RankControl(props: ControlProps<RankNode>): JSX.Element {
  const { i18n } = useFormUi();
  const node = props.node;
  // Until the user ranks, the choices show in the form's order.
  const order = (): readonly string[] =>
    node.currentState.value.length > 0 ? node.currentState.value : node.currentState.valueOptions.map((o) => o.value);
  const move = (index: number, by: -1 | 1): void => {
    const next = [...order()];
    const [item] = next.splice(index, 1);
    if (item === undefined) return;
    next.splice(index + by, 0, item);
    node.setValues(next);
    props.onTouched();
  };
  return (
    <ol class="rank">
      <For each={order()}>
        {(value, index) => (
          <li class="rank__item">
            <span class="rank__label">{node.getValueLabel(value)?.asString ?? value}</span>
            <button
              type="button"
              class="button button--subtle"
              disabled={index() === 0 || node.currentState.readonly}
              onClick={() => move(index(), -1)}
            >
              ↑<span class="visually-hidden">{i18n.t('form.rank.up')}</span>
            </button>
            <button
              type="button"
              class="button button--subtle"
              disabled={index() === order().length - 1 || node.currentState.readonly}
              onClick={() => move(index(), 1)}
            >
              ↓<span class="visually-hidden">{i18n.t('form.rank.down')}</span>
            </button>
          </li>
        )}
      </For>
    </ol>
  );
}
