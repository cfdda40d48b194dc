import { createEffect, createResource, createSignal, For, on, Show, type JSX } from 'solid-js';
import type { FieldRange, FieldRanges } from '../../api/AnalysisApi.js';
import { useApp } from '../../app/AppContext.js';
import { ApiProblem } from '../../transport/ApiProblem.js';
import { ProblemAlert } from '../admin/ProblemAlert.jsx';
import { questionLabel } from '../forms-admin/formChangeText.js';

type Bounds = Readonly<Record<string, { readonly min: string; readonly max: string }>>;

const isDate = (type: string) => type.split(/\s+/)[0] === 'date';

/** The rows to send: every question with a bound typed (blank rows are no setting). */
export function rangesToSave(bounds: Bounds): FieldRange[] {
  return Object.entries(bounds)
    .map(([path, b]) => ({
      path,
      min: b.min.trim() === '' ? null : b.min.trim(),
      max: b.max.trim() === '' ? null : b.max.trim(),
    }))
    .filter((r) => r.min !== null || r.max !== null);
}

function boundsOf(stored: FieldRanges): Bounds {
  const out: Record<string, { min: string; max: string }> = {};
  for (const field of stored.fields) out[field.path] = { min: '', max: '' };
  for (const r of stored.ranges) out[r.path] = { min: r.min ?? '', max: r.max ?? '' };
  return out;
}

/**
 * Min–max per question of the chosen form, as DHIS2 keeps them per data element: the form's
 * numbers and dates with their labels in the app's language, a minimum and a maximum each (either
 * may stay open). Saving replaces the form's settings; the server's refusal names the question,
 * whose row is marked. The data-quality report then counts the answers outside (`onSaved`).
 */
export function FieldRangesPanel(props: { projectId: string; formId: string; onSaved: () => void }): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const [stored, { mutate }] = createResource(
    () => ({ projectId: props.projectId, formId: props.formId }),
    (key) => api.fieldRanges(key.projectId, key.formId),
  );
  const [bounds, setBounds] = createSignal<Bounds>({});
  const [error, setError] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);
  const [saved, setSaved] = createSignal(false);
  createEffect(on(stored, (now) => now !== undefined && setBounds(boundsOf(now))));
  const refusedPath = () => {
    const err = error();
    return err instanceof ApiProblem ? err.field : undefined;
  };
  /** The label of the question the server refused, when it named one. */
  const refusedField = () => {
    const field = stored()?.fields.find((f) => f.path === refusedPath());
    return field === undefined ? undefined : questionLabel(field, i18n.language());
  };
  const edit = (path: string, which: 'min' | 'max', value: string) => {
    setSaved(false);
    setBounds((now) => ({ ...now, [path]: { ...(now[path] ?? { min: '', max: '' }), [which]: value } }));
  };

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    setSaved(false);
    setSaving(true);
    try {
      mutate(await api.setFieldRanges(props.projectId, props.formId, rangesToSave(bounds())));
      setSaved(true);
      props.onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section aria-labelledby="ranges-title" class="field-ranges">
      <h3 id="ranges-title">{t('analysis.ranges.title')}</h3>
      <p>{t('analysis.ranges.intro')}</p>
      <Show when={stored.error as unknown}>{(err) => <ProblemAlert error={err()} />}</Show>
      <Show when={stored()}>
        {(now) => (
          <Show when={now().fields.length > 0} fallback={<p>{t('analysis.ranges.noQuestions')}</p>}>
            <form onSubmit={(e) => void save(e)}>
              <table class="quality-table">
                <thead>
                  <tr>
                    <th scope="col">{t('analysis.quality.question')}</th>
                    <th scope="col">{t('analysis.ranges.min')}</th>
                    <th scope="col">{t('analysis.ranges.max')}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={now().fields}>
                    {(field) => {
                      const label = () => questionLabel({ ...field }, i18n.language());
                      const refused = () => refusedPath() === field.path;
                      const input = (which: 'min' | 'max') => (
                        <input
                          type={isDate(field.type) ? 'date' : 'text'}
                          inputMode={isDate(field.type) ? undefined : 'decimal'}
                          name={`${which}:${field.path}`}
                          aria-label={t(`analysis.ranges.${which}Of`, { question: label() })}
                          aria-invalid={refused() ? 'true' : undefined}
                          aria-describedby={refused() ? 'ranges-refusal' : undefined}
                          value={bounds()[field.path]?.[which] ?? ''}
                          maxLength={40}
                          onInput={(e) => edit(field.path, which, e.currentTarget.value)}
                        />
                      );
                      return (
                        <tr classList={{ 'field-ranges__refused': refused() }}>
                          <th scope="row">
                            {label()}
                            <span class="quality-note">
                              {' '}
                              {t(isDate(field.type) ? 'analysis.ranges.kind.date' : 'analysis.ranges.kind.number')}
                            </span>
                          </th>
                          <td>{input('min')}</td>
                          <td>{input('max')}</td>
                        </tr>
                      );
                    }}
                  </For>
                </tbody>
              </table>
              <Show when={error()}>
                {(err) => (
                  <div id="ranges-refusal">
                    <ProblemAlert
                      error={err()}
                      lead={
                        refusedField() === undefined
                          ? undefined
                          : t('analysis.ranges.refusedAt', { question: refusedField() ?? '' })
                      }
                    />
                  </div>
                )}
              </Show>
              <button type="submit" disabled={saving()}>
                {t('analysis.ranges.save')}
              </button>
              <Show when={saved()}>
                <p role="status">{t('analysis.ranges.saved')}</p>
              </Show>
            </form>
          </Show>
        )}
      </Show>
    </section>
  );
}
