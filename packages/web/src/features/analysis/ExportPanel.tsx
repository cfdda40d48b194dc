import { createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import type { ExportFormat, ExportJob, ExportLanguage } from '../../api/AnalysisApi.js';
import { useApp } from '../../app/AppContext.js';
import { ProblemAlert } from '../admin/ProblemAlert.jsx';
import { exportPercent, watchExport } from './exportProgress.js';
import type { ExportWatch } from './exportProgress.js';

const FORMATS: ReadonlyArray<readonly [ExportFormat, string]> = [
  ['csv', 'CSV'],
  ['xlsx', 'Excel'],
  ['geojson', 'GeoJSON'],
];
const LANGUAGES: readonly ExportLanguage[] = ['en', 'mn', 'tpi'];

/**
 * Exports the chosen form on the server and shows how far it is (submissions written of the
 * form's total), with a button that cancels it; a finished export is a download link.
 */
export function ExportPanel(props: { projectId: string; formId: string | null }): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const [format, setFormat] = createSignal<ExportFormat>('csv');
  // The app's language by default: the export reads as the screen does.
  const [lang, setLang] = createSignal<ExportLanguage | ''>(i18n.language());
  const [job, setJob] = createSignal<ExportJob | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  let watch: ExportWatch | null = null;
  onCleanup(() => watch?.stop());

  const start = async (event: SubmitEvent) => {
    event.preventDefault();
    const formId = props.formId;
    if (formId === null) return;
    setError(null);
    watch?.stop();
    // The last export's "ready" and its download link go at once: until the server answers, they
    // would pass for the new file's.
    setJob(null);
    try {
      const language = lang();
      const started = await api.startExport(props.projectId, formId, {
        format: format(),
        ...(language === '' ? {} : { lang: language }),
      });
      setJob(started);
      watch = watchExport(api, props.projectId, started, { onUpdate: setJob, onError: setError });
    } catch (err) {
      setError(err);
    }
  };
  const cancel = async () => {
    try {
      await watch?.cancel();
    } catch (err) {
      setError(err);
    }
  };
  const running = () => job()?.state === 'running';

  return (
    <section aria-labelledby="export-title" class="export-panel">
      <h2 id="export-title">{t('analysis.export.title')}</h2>
      <p>{t('analysis.export.intro')}</p>
      <form class="export-panel__form" onSubmit={(e) => void start(e)}>
        <label class="field">
          <span>{t('analysis.export.format')}</span>
          <select value={format()} onChange={(e) => setFormat(e.currentTarget.value as ExportFormat)}>
            <For each={FORMATS}>
              {([value, name]) => <option value={value}>{t(`analysis.export.format.${value}`, { name })}</option>}
            </For>
          </select>
        </label>
        <label class="field">
          <span>{t('analysis.export.language')}</span>
          <select value={lang()} onChange={(e) => setLang(e.currentTarget.value as ExportLanguage | '')}>
            <option value="">{t('analysis.export.language.names', { brand: 'ODK Central' })}</option>
            <For each={LANGUAGES}>
              {(code) => <option value={code}>{t(`analysis.export.language.${code}`)}</option>}
            </For>
          </select>
        </label>
        <button type="submit" disabled={props.formId === null || running()}>
          {t('analysis.export.start')}
        </button>
      </form>
      <Show when={error()}>{(err) => <ProblemAlert error={err()} />}</Show>
      <Show when={job()}>
        {(current) => (
          <div class="export-panel__job" aria-live="polite">
            <Show when={current().state === 'running' || current().state === 'done'}>
              <progress max="100" value={exportPercent(current())} aria-labelledby="export-progress" />
              <p id="export-progress" role="status">
                {t('analysis.export.progress', {
                  written: i18n.formatNumber(current().written),
                  total: i18n.formatNumber(current().total),
                })}
              </p>
            </Show>
            <Show when={running()}>
              <button type="button" class="secondary" onClick={() => void cancel()}>
                {t('analysis.export.cancel')}
              </button>
            </Show>
            <Show when={current().state === 'done'}>
              <p>{t('analysis.export.done')}</p>
              <a href={api.exportFileUrl(props.projectId, current().id)} download={current().fileName}>
                {t('analysis.export.download', { file: current().fileName })}
              </a>
            </Show>
            <Show when={current().state === 'cancelled'}>
              <p role="status">{t('analysis.export.cancelled')}</p>
            </Show>
            <Show when={current().state === 'failed'}>
              <p role="alert">{t('analysis.export.failed')}</p>
            </Show>
          </div>
        )}
      </Show>
    </section>
  );
}
