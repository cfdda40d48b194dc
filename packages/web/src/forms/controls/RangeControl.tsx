import type { AnyRangeNode } from '@getodk/xforms-engine';
import type { JSX } from 'solid-js';
import type { ControlProps } from '../QuestionView.jsx';

/** A native slider with the chosen number beside it (the thumb alone is hard to read on a tablet). */
export function RangeControl(props: ControlProps<AnyRangeNode>): JSX.Element {
  const node = props.node;
  const bounds = node.definition.bounds;
  return (
    <div class="range">
      <input
        id={props.id}
        type="range"
        class="range__input"
        min={String(bounds.start)}
        max={String(bounds.end)}
        step={String(bounds.step)}
        value={node.currentState.instanceValue === '' ? String(bounds.start) : node.currentState.instanceValue}
        disabled={node.currentState.readonly}
        aria-invalid={props.invalid}
        onChange={(e) => {
          (node.setValue as (value: string) => unknown)(e.currentTarget.value);
          props.onTouched();
        }}
      />
      <output class="range__value" for={props.id}>
        {node.currentState.instanceValue || '—'}
      </output>
    </div>
  );
}
