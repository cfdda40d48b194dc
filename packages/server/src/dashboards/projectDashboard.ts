import { readerView, scopeFilter } from '@outpost/core';
import type { PolicyCatalogue } from '@outpost/core';
import type { ProjectAccess } from '../policy/projectAccess.js';
import { recordOf } from '../policy/recordOf.js';
import { redactEntity } from '../policy/redactEntity.js';
import { listAreas } from '../storage/queries/areas.js';
import { allEntities } from '../storage/queries/entities.js';
import { displayNamesOf } from '../storage/queries/memberships.js';
import type { Store } from '../storage/store.js';
import { aggregateMap, aggregatePanel } from './aggregate.js';
import type { DashboardRecord, MapData, PanelData, PanelRow } from './aggregate.js';
import { dashboardSpec, MIN_CELL } from './dashboardSpecs.js';

export interface Dashboard {
  readonly template: string | null;
  /** Records the reader may see, over which every panel is counted. */
  readonly records: number;
  /** Cells under this many records are suppressed when `exactLocations` is false. */
  readonly minimumCell: number;
  readonly exactLocations: boolean;
  readonly panels: readonly PanelData[];
  readonly map: MapData;
  /** Names of the areas the panels key by id, per language. */
  readonly areas: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Worker keys (`w1`, …) with their names, or null where the reader may not see names. */
  readonly workers: Readonly<Record<string, string | null>>;
}

/**
 * A project's dashboard for one reader, counted on the server over the live entities the policy
 * lets them read (`cases.read` in their scope), each redacted as the app would show it: a hidden
 * property groups nothing, an area is the finest the reader may see, and places with fewer than
 * 5 records are suppressed for readers without exact locations. Workers are keyed `w1`, `w2`, …
 * and named only to readers who see identifying fields of every case they are counted from.
 */
export async function projectDashboard(
  access: ProjectAccess,
  catalogue: PolicyCatalogue,
  today: string,
  store: Store,
): Promise<Dashboard> {
  const { actor, project } = access;
  const scope = scopeFilter(actor, project.id, { action: 'cases.read', recordKind: 'entity' });
  const entities = await allEntities(project.id, { scope }, store);
  const records: DashboardRecord[] = [];
  let namesShown = true;
  for (const e of entities) {
    const view = readerView(actor, recordOf(e, e.area_path));
    if (view === null) continue;
    const seen = redactEntity(actor, e, e.area_path, catalogue);
    if (!view.show.identifying) namesShown = false;
    records.push({
      list: e.list_name,
      properties: seen.properties,
      areaId:
        seen.areaPath
          ?.split('/')
          .filter((s) => s !== '')
          .pop() ?? null,
      assigneeId: e.assignee_id,
      createdAt: e.created_at,
      exactLocation: view.location === 'exact',
      hidden: new Set(
        seen.marks.flatMap((m) =>
          m.action === 'hidden' && m.pointer.startsWith('/properties/') ? [m.pointer.slice('/properties/'.length)] : [],
        ),
      ),
    });
  }
  const spec = dashboardSpec(project.template);
  const context = { today };
  const panels = spec.panels.map((p) => aggregatePanel(p, records, context));
  const workers = await workerKeys(panels, namesShown, store);
  const areaIds = new Set(panels.flatMap((p) => keysOfKind(p, 'area')));
  const areas = Object.fromEntries(
    (await listAreas(project.id, null, store)).filter((a) => areaIds.has(a.id)).map((a) => [a.id, a.names]),
  );
  return {
    template: project.template,
    records: records.length,
    minimumCell: MIN_CELL,
    exactLocations: records.every((r) => r.exactLocation),
    panels: panels.map((p) => renameWorkers(p, workers.keys)),
    map: aggregateMap(spec.map, records),
    areas,
    workers: workers.names,
  };
}

function keysOfKind(panel: PanelData, kind: string): string[] {
  const at = panel.dimensions.findIndex((d) => d.kind === kind);
  return at < 0 ? [] : panel.rows.map((r) => r.keys[at] ?? '').filter((k) => k !== '');
}

/** Assignee ids never leave the server: each worker becomes `w1`, `w2`, … in order of caseload. */
async function workerKeys(
  panels: readonly PanelData[],
  namesShown: boolean,
  store: Store,
): Promise<{ keys: Map<string, string>; names: Record<string, string | null> }> {
  const ids = [...new Set(panels.flatMap((p) => keysOfKind(p, 'worker')))];
  const keys = new Map(ids.map((id, i) => [id, `w${i + 1}`]));
  const names = namesShown ? await displayNamesOf(ids, store) : new Map<string, string>();
  return { keys, names: Object.fromEntries(ids.map((id, i) => [`w${i + 1}`, names.get(id) ?? null])) };
}

function renameWorkers(panel: PanelData, keys: ReadonlyMap<string, string>): PanelData {
  const at = panel.dimensions.findIndex((d) => d.kind === 'worker');
  if (at < 0) return panel;
  const rows = panel.rows.map((r): PanelRow => ({
    ...r,
    keys: r.keys.map((k, i) => (i === at && k !== '' ? (keys.get(k) ?? '') : k)),
  }));
  return { ...panel, rows };
}
