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
  const areas = await store.db
    .selectFrom('areas')
    .select(['id', 'path', 'list_version'])
    .where('project_id', '=', projectId)
    .where('code', 'in', candidates)
    .execute();
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
