import { A, useParams } from '@solidjs/router';
import { createResource, For, Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { ProblemAlert } from '../admin/ProblemAlert.jsx';
import { emptyVocabulary, loadProjectVocabulary } from '../forms/formVocabulary.js';
import { mapOption, panelOption } from './chartOptions.js';
import { DashboardChart } from './DashboardChart.jsx';
import { dashboardTable, mapTable } from './dashboardTable.js';
import './dashboards.css';

/**
 * A project's dashboards for supervisors, managers and analysts: the charts its template calls for
 * (cases, needs and caseload for social protection; incidents, species and management
 * effectiveness for protected areas; requests for a helpdesk), the general counts by month and
 * area, and the map by hexagon. Everything is counted on the server over what the reader may see.
 */
export function DashboardScreen(): JSX.Element {
  const { api, i18n } = useApp();
  const { t } = i18n;
  const params = useParams<{ projectId: string }>();
  const [dashboard] = createResource(
    () => params.projectId,
    (id) => api.dashboard(id),
  );
  // Labels come from every published form (analysts send none, so the fill list would be empty).
  const [vocabulary] = createResource(
    () => params.projectId,
    (id) =>
      loadProjectVocabulary(
        {
          listForms: async (projectId) =>
            (await api.listProjectForms(projectId)).flatMap((f) =>
              f.latestVersion === null ? [] : [{ formId: f.formId, version: f.latestVersion }],
            ),
          getFormXml: (projectId, formId, version) => api.getFormXml(projectId, formId, version),
        },
        id,
      ),
  );
  const title = (id: string) => i18n.find(`dashboard.panel.${id}`) ?? t('dashboard.panel.other');

  return (
    <section class="dashboards" aria-labelledby="dashboards-title">
      <h1 id="dashboards-title">{t('dashboard.title')}</h1>
      <p>
        <A href={`/projects/${encodeURIComponent(params.projectId)}/analysis`}>{t('dashboard.toAnalysis')}</A>
      </p>
      <Show when={dashboard.error as unknown}>{(error) => <ProblemAlert error={error()} />}</Show>
      <Show
        when={dashboard() !== undefined && vocabulary() !== undefined}
        fallback={<p role="status">{t('app.loading')}</p>}
      >
        <Show when={dashboard()}>
          {(d) => (
            <>
              <p class="dashboard-summary">
                {t('dashboard.summary', { count: i18n.formatNumber(d().records) })}
                <Show when={!d().exactLocations}> {t('dashboard.approximate', { minimum: d().minimumCell })}</Show>
              </p>
              <div class="dashboard-grid">
                <For each={d().panels}>
                  {(panel) => {
                    const table = () => dashboardTable(panel, d(), vocabulary() ?? emptyVocabulary, i18n);
                    return (
                      <DashboardChart
                        id={panel.id}
                        title={title(panel.id)}
                        option={panelOption(panel, table(), i18n.formatNumber)}
                        table={table()}
                        suppressed={panel.suppressed}
                        minimumCell={d().minimumCell}
                      />
                    );
                  }}
                </For>
                <DashboardChart
                  id="map"
                  title={t('dashboard.panel.map')}
                  option={mapOption(d(), t('dashboard.measure.count'), i18n.formatNumber)}
                  table={mapTable(d(), i18n)}
                  suppressed={d().map.suppressed}
                  minimumCell={d().minimumCell}
                />
              </div>
            </>
          )}
        </Show>
      </Show>
    </section>
  );
}
