import { A, useParams } from '@solidjs/router';
import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import type { QualityField, QualityRecord } from '../../api/AnalysisApi.js';
import { isRole, roleHas } from '@outpost/core';
import { useApp, useShell } from '../../app/AppContext.js';
import { questionLabel } from '../forms-admin/formChangeText.js';
import { ProblemAlert } from '../admin/ProblemAlert.jsx';
import { ExportPanel } from './ExportPanel.jsx';
import { FieldRangesPanel } from './FieldRangesPanel.jsx';
import { FeedKeysPanel } from './FeedKeysPanel.jsx';
import './analysis.css';

/**
 * A project's analysis screen for those who may export: a form's data-quality report (blank
 * answers, answers out of range, older records the newest version refuses), each record linked to
 * its case, and the OData feed's addresses with the user's feed keys.
 */
export function AnalysisScreen(): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const params = useParams<{ projectId: string }>();
  const [forms] = createResource(
    () => params.projectId,
    (id) => api.listProjectForms(id),
  );
  const [formId, setFormId] = createSignal<string | null>(null);
  const chosen = () => formId() ?? forms()?.[0]?.formId ?? null;
  const { projects } = useShell();
  // Min–max settings are for who manages the project (the server refuses the others too).
  const manages = () => {
    const role = projects()?.find((p) => p.id === params.projectId)?.role;
    return role === null || (role !== undefined && isRole(role) && roleHas(role, 'projects.manage'));
  };
  const [report, { refetch: refetchReport }] = createResource(
    () => {
      const form = chosen();
      return form === null ? null : { projectId: params.projectId, form };
    },
    (key) => api.qualityReport(key.projectId, key.form),
  );
  const label = (field: QualityField) => questionLabel({ ...field, type: '' }, i18n.language());
  const caseLink = (record: QualityRecord) =>
    record.caseId === null
      ? null
      : `/projects/${encodeURIComponent(params.projectId)}/cases/${encodeURIComponent(record.caseId)}`;
  const Records = (props: { records: readonly QualityRecord[]; value?: (r: QualityRecord) => string }) => (
    <ul class="quality-records">
      <For each={props.records}>
        {(record) => (
          <li>
            <Show
              when={caseLink(record)}
              fallback={<span>{t('analysis.quality.noCase', { at: i18n.formatDateTime(record.submittedAt) })}</span>}
            >
              {(href) => (
                <A href={href()}>{t('analysis.quality.openCase', { at: i18n.formatDateTime(record.submittedAt) })}</A>
              )}
            </Show>
            <Show when={props.value}>{(value) => <span class="quality-value"> {value()(record)}</span>}</Show>
          </li>
        )}
      </For>
    </ul>
  );

  return (
    <section class="analysis" aria-labelledby="analysis-title">
      <h1 id="analysis-title">{t('analysis.title')}</h1>
      <p>
        <A href={`/projects/${encodeURIComponent(params.projectId)}/dashboard`}>{t('projects.dashboards')}</A>
      </p>
      <section aria-labelledby="quality-title">
        <h2 id="quality-title">{t('analysis.quality.title')}</h2>
        <Show when={forms()} fallback={<p role="status">{t('app.loading')}</p>}>
          {(list) => (
            <label class="field">
              <span>{t('analysis.quality.form')}</span>
              <select value={chosen() ?? ''} onChange={(e) => setFormId(e.currentTarget.value)}>
                <For each={list()}>{(form) => <option value={form.formId}>{form.title}</option>}</For>
              </select>
            </label>
          )}
        </Show>
        <Show when={manages() && chosen()}>
          {(form) => (
            <FieldRangesPanel projectId={params.projectId} formId={form()} onSaved={() => void refetchReport()} />
          )}
        </Show>
        <Show when={report.error as unknown}>{(error) => <ProblemAlert error={error()} />}</Show>
        <Show when={report.loading}>
          <p role="status">{t('analysis.quality.running')}</p>
        </Show>
        <Show when={!report.loading && report()}>
          {(r) => (
            <div class="quality-report">
              <p>{t('analysis.quality.summary', { count: r().submissions, version: r().version })}</p>
              <h3>{t('analysis.quality.missing')}</h3>
              <Show when={r().missing.length > 0} fallback={<p>{t('analysis.quality.none')}</p>}>
                <table class="quality-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('analysis.quality.question')}</th>
                      <th scope="col">{t('analysis.quality.blank')}</th>
                      <th scope="col">{t('analysis.quality.records')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={r().missing}>
                      {(field) => (
                        <tr>
                          <th scope="row">
                            {label(field)}
                            <Show when={field.conditional}>
                              <span class="quality-note"> {t('analysis.quality.conditional')}</span>
                            </Show>
                          </th>
                          <td>{t('analysis.quality.blankOf', { count: field.missing, total: r().submissions })}</td>
                          <td>
                            <Records records={field.records} />
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
              <h3>{t('analysis.quality.outOfRange')}</h3>
              <Show when={r().outOfRange.length > 0} fallback={<p>{t('analysis.quality.none')}</p>}>
                <table class="quality-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('analysis.quality.question')}</th>
                      <th scope="col">{t('analysis.quality.range')}</th>
                      <th scope="col">{t('analysis.quality.records')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={r().outOfRange}>
                      {(field) => (
                        <tr>
                          <th scope="row">
                            {label(field)}
                            <span class="quality-note"> {t(`analysis.quality.source.${field.source}`)}</span>
                          </th>
                          <td>
                            {t('analysis.quality.rangeText', {
                              min: String(field.range.min ?? '…'),
                              max: String(field.range.max ?? '…'),
                              count: field.count,
                            })}
                          </td>
                          <td>
                            <Records
                              records={field.records}
                              value={(record) => (record as QualityRecord & { value: string }).value}
                            />
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
              <h3>{t('analysis.quality.newer')}</h3>
              <p>
                {t('analysis.quality.newerChecked', {
                  checked: r().newerVersion.checked,
                  total: r().newerVersion.olderTotal,
                })}
              </p>
              <Show when={r().newerVersion.records.length > 0}>
                <Records
                  records={r().newerVersion.records}
                  value={(record) =>
                    t('analysis.quality.newerRecord', {
                      version: (record as QualityRecord & { version: string }).version,
                      count: (record as QualityRecord & { problems: readonly unknown[] }).problems.length,
                    })
                  }
                />
              </Show>
            </div>
          )}
        </Show>
      </section>
      <ExportPanel projectId={params.projectId} formId={chosen()} />
      <FeedKeysPanel projectId={params.projectId} formId={chosen()} />
    </section>
  );
}
