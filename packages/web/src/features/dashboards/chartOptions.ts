import type { Dashboard, DashboardPanel } from '../../api/AnalysisApi.js';
import type { DashboardTable } from './dashboardTable.js';

// ECharts options built from a panel's table, so the chart and its CSV always hold the same numbers.
// Typed loosely on purpose: the option object is plain data that ECharts validates itself.
type Option = Record<string, unknown>;

const palette = ['#2f6b9a', '#d08a2c', '#5a9e6f', '#b2514b', '#7a67a8', '#8a7a5a', '#3c9ab2', '#c4689a', '#6b6b6b'];

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

const base = (formatNumber: (n: number) => string): Option => ({
  color: palette,
  animation: false,
  tooltip: {
    trigger: 'axis',
    // Drawn on the canvas: an HTML tooltip would carry inline styles, which our CSP refuses.
    renderMode: 'richText',
    valueFormatter: (v: unknown) => (typeof v === 'number' ? formatNumber(v) : '—'),
  },
  legend: { type: 'scroll', bottom: 0 },
  grid: { left: 8, right: 16, top: 16, bottom: 48, containLabel: true },
});

/** A chart of one panel: one dimension → a series per measure; two → a series per second key. */
export function panelOption(panel: DashboardPanel, table: DashboardTable, formatNumber: (n: number) => string): Option {
  const categories = unique(table.rows.map((r) => r.labels[0] ?? ''));
  const category = {
    type: 'category',
    data: categories,
    axisLabel: { interval: 0, rotate: categories.length > 6 ? 30 : 0 },
  };
  if (panel.chart === 'combo') {
    // Scores (%) and counts on the left axis, money on the right.
    const money = panel.measures.map((m) => m === 'budget');
    return {
      ...base(formatNumber),
      xAxis: category,
      yAxis: [{ type: 'value' }, { type: 'value', splitLine: { show: false } }],
      series: table.measures.map((name, i) => ({
        name,
        type: money[i] ? 'bar' : panel.measures[i] === 'mett_percent' ? 'line' : 'bar',
        yAxisIndex: money[i] ? 1 : 0,
        data: categories.map((c) => table.rows.find((r) => r.labels[0] === c)?.values[i] ?? null),
      })),
    };
  }
  if (table.dimensions.length < 2) {
    return {
      ...base(formatNumber),
      xAxis: category,
      yAxis: { type: 'value', minInterval: 1 },
      series: table.measures.map((name, i) => ({
        name,
        type: panel.chart === 'line' ? 'line' : 'bar',
        data: categories.map((c) => table.rows.find((r) => r.labels[0] === c)?.values[i] ?? null),
      })),
    };
  }
  const groups = unique(table.rows.map((r) => r.labels[1] ?? ''));
  return {
    ...base(formatNumber),
    xAxis: category,
    yAxis: { type: 'value', minInterval: 1 },
    series: groups.map((group) => ({
      name: group,
      type: panel.chart === 'line' ? 'line' : 'bar',
      stack: panel.chart === 'stacked' ? 'total' : undefined,
      data: categories.map(
        (c) => table.rows.find((r) => r.labels[0] === c && r.labels[1] === group)?.values[0] ?? null,
      ),
    })),
  };
}

/** The hexagon map: each cell a polygon in longitude/latitude, shaded by its count. */
export function mapOption(dashboard: Dashboard, countName: string, formatNumber: (n: number) => string): Option {
  const cells = dashboard.map.cells;
  const lons = cells.flatMap((c) => c.polygon.map((p) => p[0]));
  const lats = cells.flatMap((c) => c.polygon.map((p) => p[1]));
  const max = Math.max(1, ...cells.map((c) => c.count));
  const pad = (values: number[]) => {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const margin = Math.max((hi - lo) * 0.05, 0.01);
    return { min: lo - margin, max: hi + margin };
  };
  return {
    animation: false,
    tooltip: {
      trigger: 'item',
      renderMode: 'richText',
      formatter: (p: { value?: unknown[] }) => `${countName}: ${formatNumber(Number(p.value?.[2] ?? 0))}`,
    },
    grid: { left: 8, right: 16, top: 16, bottom: 48, containLabel: true },
    xAxis: {
      type: 'value',
      ...(cells.length > 0 ? pad(lons) : {}),
      axisLabel: { formatter: (v: number) => v.toFixed(2) },
    },
    yAxis: {
      type: 'value',
      ...(cells.length > 0 ? pad(lats) : {}),
      axisLabel: { formatter: (v: number) => v.toFixed(2) },
    },
    visualMap: {
      min: 0,
      max,
      dimension: 2,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      inRange: { color: ['#e3eef7', '#2f6b9a'] },
    },
    series: [
      {
        type: 'custom',
        data: cells.map((c, i) => [c.lon, c.lat, c.count, i]),
        renderItem: (
          _params: unknown,
          api: { value(i: number): number; coord(p: number[]): number[]; visual(k: string): string },
        ) => {
          const cell = cells[api.value(3)];
          if (cell === undefined) return null;
          return {
            type: 'polygon',
            shape: { points: cell.polygon.map((p) => api.coord([p[0], p[1]])) },
            style: { fill: api.visual('color'), stroke: '#ffffff', lineWidth: 1 },
          };
        },
      },
    ],
  };
}
