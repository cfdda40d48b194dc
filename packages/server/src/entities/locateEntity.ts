import { areasWithCodes, findArea } from '../storage/queries/areas.js';
import type { Store } from '../storage/store.js';

/**
 * The area a case belongs to, read from its own properties: forms pick addresses from the
 * project's area list (aimag → soum → bag, district → khoroo), whose choice names are area codes,
 * so the deepest property value that is a known area code of the project places the case. Scope
 * rules (a field worker sees her khoroo) depend on this.
 */
export async function locateEntity(
  projectId: string,
  properties: Record<string, string>,
  store: Store,
): Promise<string | null> {
  const candidates = [...new Set(Object.values(properties).filter((v) => v.length > 0 && v.length <= 64))];
  if (candidates.length === 0) return null;
  const areas = await areasWithCodes(projectId, candidates, store);
  let best: { id: string; depth: number; version: string } | null = null;
  for (const area of areas) {
    const depth = area.path.split('/').length;
    // The deepest area wins; between list versions the newest (versions sort as text, e.g. dates).
    if (best === null || depth > best.depth || (depth === best.depth && area.list_version > best.version)) {
      best = { id: area.id, depth, version: area.list_version };
    }
  }
  return best?.id ?? null;
}

/**
 * Where an update moves a case, or null when it stays: the place its properties name after the
 * change (`locateEntity`), unless that is where it is already or only a coarser area around it
 * (a province where the case sits in one of the province's protected areas). A derivation that
 * knows less than the case's current place never pulls the case up and out of it; the same rule
 * decides the policy check (a move needs `cases.assign`) and the stored change.
 */
export async function relocatedArea(
  projectId: string,
  current: { area_id: string | null; properties: Record<string, string> },
  changed: Record<string, string>,
  store: Store,
): Promise<string | null> {
  const derived = await locateEntity(projectId, { ...current.properties, ...changed }, store);
  if (derived === null || derived === current.area_id) return null;
  if (current.area_id !== null) {
    const around = await findArea(derived, store);
    const now = await findArea(current.area_id, store);
    if (around !== undefined && now !== undefined && now.path.startsWith(around.path)) return null;
  }
  return derived;
}
