import { Match, Switch, type JSX } from 'solid-js';
import type { FormInputNode, FormValueType } from '../engineTypes.js';
import type { ControlProps } from '../QuestionView.jsx';
import { DateField } from './DateField.jsx';
import { localOffset } from './dateText.js';

type HtmlInputType = 'text' | 'number' | 'date' | 'time' | 'datetime-local';

/**
 * Text, numbers and times: one native input each, so the tablet shows its own keypad or picker.
 * Dates are typed in the app's one order instead (DateField): the native date input follows the
 * browser's language, not the app's.
 */
export function InputControl(props: ControlProps<FormInputNode>): JSX.Element {
  const node = props.node;
  if (node.valueType === 'date' || node.valueType === 'dateTime') {
    return <DateField {...props} withTime={node.valueType === 'dateTime'} />;
  }
  const type = htmlType(node.valueType);
  const appearances = node.appearances;
  const multiline = (): boolean => appearances['multiline'] === true || rowsOf(node) > 1;
  // Numbers typed into a text field ("numbers" appearance) keep leading zeros, as phone numbers need.
  const inputMode = (): 'numeric' | 'decimal' | undefined =>
    node.valueType === 'int' || appearances['numbers'] === true
      ? 'numeric'
      : node.valueType === 'decimal'
        ? 'decimal'
        : undefined;
  const shown = (): string => toHtmlValue(type, node.currentState.instanceValue);
  const write = (value: string): void => {
    // Every value type accepts its XML text form; the engine parses and normalises it.
    (node.setValue as (value: string) => unknown)(fromHtmlValue(type, value));
  };
  // Typed numbers and dates are written on change so the engine never normalises a half-typed value
  // under the cursor; text is written on every keystroke so a draft never misses the last word.
  const live = type === 'text';
  const common = {
    id: props.id,
    name: node.currentState.reference,
    readOnly: node.currentState.readonly,
    'aria-invalid': props.invalid,
    'aria-describedby': `${props.id}-hint ${props.id}-problem`,
    required: node.currentState.required,
  };
  return (
    <Switch>
      <Match when={multiline()}>
        <textarea
          {...common}
          class="question__input question__input--long"
          rows={4}
          value={shown()}
          onInput={(e) => write(e.currentTarget.value)}
          onBlur={() => props.onTouched()}
        />
      </Match>
      <Match when={true}>
        <input
          {...common}
          class="question__input"
          classList={{ 'question__input--short': type !== 'text' }}
          type={type}
          inputmode={inputMode()}
          step={node.valueType === 'decimal' ? 'any' : undefined}
          autocomplete="off"
          value={shown()}
          onInput={(e) => live && write(e.currentTarget.value)}
          onChange={(e) => {
            if (!live) write(e.currentTarget.value);
            props.onTouched();
          }}
          onBlur={() => props.onTouched()}
        />
      </Match>
    </Switch>
  );
}

function rowsOf(node: FormInputNode): number {
  const options: unknown = node.nodeOptions;
  return typeof options === 'object' && options !== null && 'rows' in options && typeof options.rows === 'number'
    ? options.rows
    : 0;
}

function htmlType(valueType: FormValueType): HtmlInputType {
  switch (valueType) {
    case 'int':
    case 'decimal':
      return 'number';
    case 'date':
      return 'date';
    case 'time':
      return 'time';
    case 'dateTime':
      return 'datetime-local';
    default:
      return 'text';
  }
}

/** XForms time and dateTime carry seconds and an offset; the native pickers show minutes only. */
function toHtmlValue(type: HtmlInputType, xml: string): string {
  if (type === 'time') return xml.slice(0, 5);
  if (type === 'datetime-local') return xml.slice(0, 16);
  if (type === 'date') return xml.slice(0, 10);
  return xml;
}

function fromHtmlValue(type: HtmlInputType, html: string): string {
  if (html === '') return '';
  if (type === 'time') return `${html}:00.000${localOffset(new Date())}`;
  if (type === 'datetime-local') return `${html}:00.000${localOffset(new Date(html))}`;
  return html;
}
