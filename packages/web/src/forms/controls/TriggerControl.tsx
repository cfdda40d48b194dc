import type { TriggerNode } from '@getodk/xforms-engine';
import type { JSX } from 'solid-js';
import { useFormUi } from '../FormUi.js';
import type { ControlProps } from '../QuestionView.jsx';

/** acknowledge / trigger: one box the user ticks to say "OK". */
export function TriggerControl(props: ControlProps<TriggerNode>): JSX.Element {
  const { i18n } = useFormUi();
  return (
    <label class="choice">
      <input
        id={props.id}
        type="checkbox"
        checked={props.node.currentState.value}
        disabled={props.node.currentState.readonly}
        onChange={(e) => {
          props.node.setValue(e.currentTarget.checked);
          props.onTouched();
        }}
      />
      <span>{i18n.t('form.trigger.ok')}</span>
    </label>
  );
}
