import { For, type JSX } from 'solid-js';
import type { DuplicateReason } from '@outpost/core';
import type { I18n } from '../../i18n/createI18n.js';
import type { DuplicateSuggestion } from './duplicateWarning.js';

const fieldKeys = {
  name: 'form.duplicates.field.name',
  dob: 'form.duplicates.field.dob',
  register: 'form.duplicates.field.register',
  phone: 'form.duplicates.field.phone',
  area: 'form.duplicates.field.area',
} as const satisfies Record<DuplicateReason['field'], string>;
const verdictKeys = {
  same: 'form.duplicates.verdict.same',
  similar: 'form.duplicates.verdict.similar',
  different: 'form.duplicates.verdict.different',
} as const satisfies Record<DuplicateReason['verdict'], string>;

/** Why two cases look alike, in words: the evidence for it (the fields that agree). */
export function duplicateReasonText(i18n: I18n, reasons: readonly DuplicateReason[]): string {
  const { t } = i18n;
  return reasons
    .filter((r) => r.verdict !== 'different')
    .map((r) => t('form.duplicates.reason', { field: t(fieldKeys[r.field]), verdict: t(verdictKeys[r.verdict]) }))
    .join(' · ');
}

/**
 * Shown instead of saving when a registration looks like cases already on the device: each case
 * with why it looks the same, a way to open it (the registration is kept as a draft), to save
 * anyway, or to go back to the form.
 */
export function DuplicateWarning(props: {
  readonly i18n: I18n;
  readonly suggestions: readonly DuplicateSuggestion[];
  readonly busy: boolean;
  readonly onOpen: (caseId: string) => void;
  readonly onSaveAnyway: () => void;
  readonly onBack: () => void;
}): JSX.Element {
  const { t } = props.i18n;
  const why = (s: DuplicateSuggestion): string => duplicateReasonText(props.i18n, s.reasons);
  return (
    <section
      ref={(el) => queueMicrotask(() => el.scrollIntoView?.({ block: 'start' }))}
      class="alert duplicate-warning"
      role="alertdialog"
      aria-labelledby="duplicate-warning-title"
    >
      <h2 id="duplicate-warning-title">{t('form.duplicates.title')}</h2>
      <p>{t('form.duplicates.intro', { count: props.suggestions.length })}</p>
      <ul class="duplicate-warning__list">
        <For each={props.suggestions}>
          {(s) => (
            <li data-case-id={s.id}>
              <strong>{s.label}</strong>
              <span class="duplicate-warning__why">{why(s)}</span>
              <button type="button" class="button" disabled={props.busy} onClick={() => props.onOpen(s.id)}>
                {t('form.duplicates.open')}
              </button>
            </li>
          )}
        </For>
      </ul>
      <div class="duplicate-warning__actions">
        <button type="button" class="button" disabled={props.busy} onClick={() => props.onBack()}>
          {t('form.duplicates.back')}
        </button>
        <button type="button" class="button button--primary" disabled={props.busy} onClick={() => props.onSaveAnyway()}>
          {t('form.duplicates.saveAnyway')}
        </button>
      </div>
    </section>
  );
}
