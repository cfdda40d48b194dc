import type { Feature, FeatureCollection, Point } from 'geojson';
import type { CaseRow } from '../cases/caseRows.js';
import { geoPointOf } from '../cases/caseProperties.js';

/** What a point on the project map stands for, from its entity list: its colour and legend entry. */
export type MapPointKind = 'case' | 'incident' | 'observation' | 'other';

export const mapPointKinds: readonly MapPointKind[] = ['case', 'incident', 'observation', 'other'];

export interface MapPointProperties {
  readonly id: string;
  readonly kind: MapPointKind;
}

export interface MapPoints {
  readonly points: FeatureCollection<Point, MapPointProperties>;
  /** Found cases with no point to draw: no location, or one the role is given as an area only. */
  readonly unplaced: number;
  readonly byKind: ReadonlyMap<MapPointKind, number>;
}

/** The kind of an entity list: `cases`/`households` are cases, `incidents`, `observations` by name. */
export function kindOfList(list: string): MapPointKind {
  if (/incident/.test(list)) return 'incident';
  if (/observation|sighting/.test(list)) return 'observation';
  if (/case|household|beneficiar|client/.test(list)) return 'case';
  return 'other';
}

/**
 * The rows of the case list (filtered and searched as the list shows them) as map points. Each is
 * placed where the device's record says: the policy already sent it at the role's precision (a
 * coarse role's point arrives snapped to its grid; an area-level role's location is an area, not a
 * point, and is counted as unplaced). The first geopoint property of a record is its location.
 */
export function mapPoints(rows: Iterable<CaseRow>): MapPoints {
  const features: Feature<Point, MapPointProperties>[] = [];
  const byKind = new Map<MapPointKind, number>();
  let unplaced = 0;
  for (const row of rows) {
    const point = locationOf(row.record.properties);
    if (point === undefined) {
      unplaced += 1;
      continue;
    }
    const kind = kindOfList(row.list);
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    features.push({
      type: 'Feature',
      id: features.length,
      properties: { id: row.id, kind },
      geometry: { type: 'Point', coordinates: [point.longitude, point.latitude] },
    });
  }
  return { points: { type: 'FeatureCollection', features }, unplaced, byKind };
}

function locationOf(
  properties: Readonly<Record<string, unknown>>,
): { latitude: number; longitude: number } | undefined {
  for (const [name, value] of Object.entries(properties)) {
    if (name.startsWith('__')) continue;
    const point = geoPointOf(value);
    if (point !== undefined) return point;
  }
  return undefined;
}
