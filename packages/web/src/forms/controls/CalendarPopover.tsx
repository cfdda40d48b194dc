import { createSignal, For, onCleanup, onMount, type JSX } from 'solid-js';
import type { I18n } from '../../i18n/createI18n.js';
import { monthGrid, stepMonth } from './calendarMonth.js';

const monthKeys = [
  'calendar.month.1',
  'calendar.month.2',
  'calendar.month.3',
  'calendar.month.4',
  'calendar.month.5',
  'calendar.month.6',
  'calendar.month.7',
  'calendar.month.8',
  'calendar.month.9',
  'calendar.month.10',
  'calendar.month.11',
  'calendar.month.12',
] as const;
const weekdayKeys = [
  'calendar.weekday.1',
  'calendar.weekday.2',
  'calendar.weekday.3',
  'calendar.weekday.4',
  'calendar.weekday.5',
  'calendar.weekday.6',
  'calendar.weekday.7',
] as const;

/**
 * A month to pick a day from, in the app's language. Chromium's own date popup speaks the
 * browser's language whatever the page says (`lang` does not reach it), so the calendar is ours:
 * month and weekday names from the catalogs, days as numbers, each day named by its date as the
 * field writes it (2026-10-23).
 */
export function CalendarPopover(props: {
  readonly i18n: I18n;
  /** The date in the field, if it is one; the month shown first. */
  readonly value: string | null;
  readonly onPick: (date: string) => void;
  readonly onClose: () => void;
}): JSX.Element {
  const { t } = props.i18n;
  const today = new Date().toISOString().slice(0, 10);
  const shown = props.value ?? today;
  const [month, setMonth] = createSignal<[number, number]>([Number(shown.slice(0, 4)), Number(shown.slice(5, 7))]);
  const weeks = () => monthGrid(month()[0], month()[1]);
  const step = (by: -1 | 1): void => {
    setMonth(stepMonth(month()[0], month()[1], by));
  };
  let dialog: HTMLDivElement | undefined;
  const onKey = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') props.onClose();
  };
  onMount(() => {
    document.addEventListener('keydown', onKey);
    dialog?.querySelector<HTMLButtonElement>('[aria-pressed="true"], [data-today]')?.focus();
  });
  onCleanup(() => document.removeEventListener('keydown', onKey));

  return (
    <div class="calendar" role="dialog" aria-label={t('calendar.title')} ref={dialog}>
      <div class="calendar__head">
        <button
          type="button"
          class="button button--subtle"
          aria-label={t('calendar.previous')}
          onClick={() => step(-1)}
        >
          ‹
        </button>
        <p class="calendar__month" aria-live="polite">
          {t('calendar.monthYear', {
            month: t(monthKeys[month()[1] - 1] ?? 'calendar.month.1'),
            year: String(month()[0]),
          })}
        </p>
        <button type="button" class="button button--subtle" aria-label={t('calendar.next')} onClick={() => step(1)}>
          ›
        </button>
      </div>
      <table class="calendar__grid">
        <thead>
          <tr>
            <For each={weekdayKeys}>{(key) => <th scope="col">{t(key)}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={weeks()}>
            {(week) => (
              <tr>
                <For each={week}>
                  {(day) => (
                    <td>
                      <button
                        type="button"
                        class="calendar__day"
                        classList={{ 'calendar__day--other': !day.inMonth, 'calendar__day--today': day.date === today }}
                        aria-label={day.date}
                        aria-pressed={day.date === props.value}
                        data-today={day.date === today ? '' : undefined}
                        onClick={() => props.onPick(day.date)}
                      >
                        {day.day}
                      </button>
                    </td>
                  )}
                </For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <div class="calendar__foot">
        <button type="button" class="button" onClick={() => props.onPick(today)}>
          {t('calendar.today')}
        </button>
        <button type="button" class="button button--subtle" onClick={() => props.onClose()}>
          {t('calendar.close')}
        </button>
      </div>
    </div>
  );
}
