import { createEffect, createSignal, on, Show, type JSX } from 'solid-js';
import type { FormInputNode } from '../engineTypes.js';
import { useFormUi } from '../FormUi.js';
import type { ControlProps } from '../QuestionView.jsx';
import { CalendarPopover } from './CalendarPopover.jsx';
import { localOffset, parseDateText, parseTimeText } from './dateText.js';

/**
 * A date (and for dateTime a 24-hour time) typed as 2026-10-23 in every language, with a button
 * that opens a calendar in the app's language. A half-typed or impossible date is never written: it stays in
 * the field, marked, with the expected form shown beneath.
 */
export function DateField(props: ControlProps<FormInputNode> & { readonly withTime: boolean }): JSX.Element {
  const { i18n } = useFormUi();
  const { t } = i18n;
  const node = props.node;
  const value = (): string => node.currentState.instanceValue;
  const [dateText, setDateText] = createSignal(value().slice(0, 10));
  const [timeText, setTimeText] = createSignal(props.withTime ? value().slice(11, 16) : '');
  const [wrong, setWrong] = createSignal(false);
  // A value set from elsewhere (a default, a restored draft) shows unless the user is mid-correction.
  createEffect(
    on(value, (xml) => {
      if (wrong()) return;
      // What the user typed stays as typed while it means the value written ("2026-3-5").
      if (parseDateText(dateText()) !== xml.slice(0, 10)) setDateText(xml.slice(0, 10));
      if (props.withTime && parseTimeText(timeText()) !== xml.slice(11, 16)) setTimeText(xml.slice(11, 16));
    }),
  );

  const write = (xml: string): void => {
    (node.setValue as (value: string) => unknown)(xml);
  };
  /**
   * Writes a complete value. While typing (`final` false) only a value in full (2026-03-15, 14:05)
   * is written, so "2026-3-1" is not taken for the 1st on the way to the 15th; leaving the field
   * writes what can be read and marks what cannot.
   */
  const commit = (final: boolean): void => {
    if (!final && !(/^\d{4}-\d{2}-\d{2}$/.test(dateText()) && (!props.withTime || /^\d{2}:\d{2}$/.test(timeText())))) {
      return;
    }
    if (dateText().trim() === '' && timeText().trim() === '') {
      setWrong(false);
      if (value() !== '') write('');
      return;
    }
    const date = parseDateText(dateText());
    const time = props.withTime ? parseTimeText(timeText()) : '';
    if (date === null || time === null) {
      if (final) setWrong(true);
      return;
    }
    setWrong(false);
    if (final) {
      setDateText(date);
      if (props.withTime) setTimeText(time ?? '');
    }
    const xml = props.withTime ? `${date}T${time}:00.000${localOffset(new Date(`${date}T${time}`))}` : date;
    if (props.withTime ? value().slice(0, 16) !== xml.slice(0, 16) : value() !== xml) write(xml);
  };
  const leave = (): void => {
    commit(true);
    props.onTouched();
  };

  // The calendar opens beside the field, in the app's language (CalendarPopover says why it is ours).
  const [calendarOpen, setCalendarOpen] = createSignal(false);
  const pick = (date: string): void => {
    setDateText(date);
    commit(true);
    props.onTouched();
    setCalendarOpen(false);
  };

  const describedBy = `${props.id}-hint ${props.id}-problem ${props.id}-format`;
  return (
    <div class="date-field">
      <input
        id={props.id}
        name={node.currentState.reference}
        class="question__input question__input--short date-field__date"
        type="text"
        inputmode="numeric"
        autocomplete="off"
        placeholder={t('form.date.placeholder')}
        readOnly={node.currentState.readonly}
        required={node.currentState.required}
        aria-invalid={props.invalid || wrong()}
        aria-describedby={describedBy}
        value={dateText()}
        onInput={(e) => {
          setDateText(e.currentTarget.value);
          commit(false);
        }}
        onChange={leave}
      />
      <Show when={props.withTime}>
        <input
          class="question__input date-field__time"
          type="text"
          inputmode="numeric"
          autocomplete="off"
          placeholder={t('form.time.placeholder')}
          aria-label={t('form.time.label')}
          readOnly={node.currentState.readonly}
          aria-invalid={props.invalid || wrong()}
          aria-describedby={describedBy}
          value={timeText()}
          onInput={(e) => {
            setTimeText(e.currentTarget.value);
            commit(false);
          }}
          onChange={leave}
        />
      </Show>
      <Show when={!node.currentState.readonly}>
        <button
          type="button"
          class="button date-field__calendar"
          aria-expanded={calendarOpen()}
          onClick={() => setCalendarOpen(!calendarOpen())}
        >
          {t('form.date.calendar')}
        </button>
      </Show>
      <Show when={calendarOpen()}>
        <CalendarPopover
          i18n={i18n}
          value={parseDateText(dateText())}
          onPick={pick}
          onClose={() => setCalendarOpen(false)}
        />
      </Show>
      <p id={`${props.id}-format`} class="date-field__format" classList={{ 'date-field__format--wrong': wrong() }}>
        {props.withTime ? t('form.dateTime.format') : t('form.date.format')}
      </p>
    </div>
  );
}
