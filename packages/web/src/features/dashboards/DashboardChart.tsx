import { createEffect, For, onCleanup, onMount, Show, type JSX } from 'solid-js';
import { useApp } from '../../app/AppContext.js';
import { downloadBlob, downloadText } from '../sync/downloadText.js';
import type { DashboardTable } from './dashboardTable.js';
import { tableCsv } from './dashboardTable.js';

type Chart = { setOption(option: unknown, notMerge?: boolean): void; resize(): void; dispose(): void } & {
  getDataURL(options: { type: 'png'; pixelRatio: number; backgroundColor: string }): string;
};

function pngOf(dataUrl: string): Blob {
  const bytes = atob(dataUrl.slice(dataUrl.indexOf(',') + 1));
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes.charCodeAt(i);
  return new Blob([out], { type: 'image/png' });
}

/**
 * One dashboard chart: drawn by ECharts from `option`, with buttons to save it as PNG and its
 * table as CSV, the table itself for screen readers (and anyone who wants the numbers), and a
 * note when small cells were left out.
 */
export function DashboardChart(props: {
  id: string;
  title: string;
  option: Record<string, unknown>;
  table: DashboardTable;
  suppressed: number;
  minimumCell: number;
}): JSX.Element {
  const { i18n } = useApp();
  const { t } = i18n;
  let host: HTMLDivElement | undefined;
  let chart: Chart | undefined;
  const headingId = `dashboard-${props.id.replace(/\W/g, '-')}`;

  onMount(() => {
    const resize = () => chart?.resize();
    window.addEventListener('resize', resize);
    onCleanup(() => window.removeEventListener('resize', resize));
    void import('./echartsSetup.js').then(({ init }) => {
      if (host === undefined) return;
      chart = init(host, undefined, { renderer: 'canvas' });
      chart.setOption(props.option, true);
      host.dataset['rendered'] = 'true';
    });
  });
  // Redrawn when the option changes (another language): read it first so the effect tracks it.
  createEffect(() => {
    const option = props.option;
    chart?.setOption(option, true);
  });
  onCleanup(() => chart?.dispose());

  const fileName = (ext: string) => `${props.id.replace(/\W/g, '-')}.${ext}`;
  const savePng = () => {
    if (chart === undefined) return;
    downloadBlob(fileName('png'), pngOf(chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' })));
  };
  const saveCsv = () => downloadText(fileName('csv'), tableCsv(props.table), 'text/csv;charset=utf-8');

  return (
    <section class="dashboard-panel" aria-labelledby={headingId} data-panel={props.id}>
      <h2 id={headingId}>{props.title}</h2>
      <Show when={props.table.rows.length > 0} fallback={<p class="dashboard-empty">{t('dashboard.noData')}</p>}>
        <div class="dashboard-chart" ref={host} role="img" aria-label={props.title} />
      </Show>
      <Show when={props.suppressed > 0}>
        <p class="dashboard-note">
          {t('dashboard.suppressed', { count: props.suppressed, minimum: props.minimumCell })}
        </p>
      </Show>
      <div class="dashboard-actions">
        <button type="button" class="button" onClick={savePng} disabled={props.table.rows.length === 0}>
          {t('dashboard.savePng')}
        </button>
        <button type="button" class="button" onClick={saveCsv}>
          {t('dashboard.saveCsv')}
        </button>
      </div>
      <details class="dashboard-data">
        <summary>{t('dashboard.showTable')}</summary>
        <table class="quality-table">
          <thead>
            <tr>
              <For each={[...props.table.dimensions, ...props.table.measures]}>{(h) => <th scope="col">{h}</th>}</For>
            </tr>
          </thead>
          <tbody>
            <For each={props.table.rows}>
              {(row) => (
                <tr>
                  <For each={row.labels}>{(l) => <td>{l}</td>}</For>
                  <For each={row.values}>
                    {(v) => <td>{v === null ? t('dashboard.hidden') : i18n.formatNumber(v)}</td>}
                  </For>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </details>
    </section>
  );
}
