import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { AreasTable } from '../schema.js';
import { keptRead } from '../store.js';
import type { Store } from '../store.js';
import { escapeLike } from './escapeLike.js';

/** An area with its names parsed: language code -> name. */
export interface Area extends Omit<Selectable<AreasTable>, 'names'> {
  names: Record<string, string>;
}

export interface AreaInput {
  code: string;
  /** Code of the parent in the same list version; null for a root. */
  parentCode: string | null;
  level: string;
  names: Record<string, string>;
}

function parseArea(row: Selectable<AreasTable>): Area {
  return { ...row, names: JSON.parse(row.names) as Record<string, string> };
}

/**
 * Writes a version of a project's area hierarchy: new codes get ids, known codes keep theirs and
 * take the new parent, level and names. Parents may come in any order and may already be stored
 * in that version. Every path of the version is recomputed, so moving a node moves its subtree.
 * Throws on an unknown parent code or a cycle, and writes nothing then.
 */
export async function upsertAreas(
  projectId: string,
  listVersion: string,
  areas: readonly AreaInput[],
  store: Store,
): Promise<Area[]> {
  return store.transaction(async (tx) => {
    const existing = await tx.db
      .selectFrom('areas')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('list_version', '=', listVersion)
      .execute();
    const byCode = new Map(existing.map((row) => [row.code, row]));
    const incoming = new Map(areas.map((area) => [area.code, area]));
    const idOf = new Map<string, string>();
    for (const row of existing) idOf.set(row.code, row.id);
    for (const area of areas) if (!idOf.has(area.code)) idOf.set(area.code, randomUUID());

    const parentCodeOf = new Map<string, string | null>();
    const codeOfId = new Map([...idOf].map(([code, id]) => [id, code]));
    for (const row of existing)
      parentCodeOf.set(row.code, row.parent_id === null ? null : (codeOfId.get(row.parent_id) ?? null));
    for (const area of areas) {
      if (area.parentCode !== null && !idOf.has(area.parentCode)) {
        throw new Error(`area ${area.code}: unknown parent code ${area.parentCode} in list version ${listVersion}`);
      }
      parentCodeOf.set(area.code, area.parentCode);
    }

    const paths = new Map<string, string>();
    const pathOf = (code: string, seen: Set<string>): string => {
      const known = paths.get(code);
      if (known !== undefined) return known;
      if (seen.has(code)) throw new Error(`area ${code}: the parent codes form a cycle`);
      seen.add(code);
      const parent = parentCodeOf.get(code) ?? null;
      const path = `${parent === null ? '/' : pathOf(parent, seen)}${idOf.get(code) ?? ''}/`;
      paths.set(code, path);
      return path;
    };

    // Parents before children (a parent's path is a prefix of its children's), and new rows before
    // updates, so the parent_id foreign key holds after every statement.
    const inserts = areas
      .filter((area) => !byCode.has(area.code))
      .map((area) => ({ area, path: pathOf(area.code, new Set()) }))
      .sort((a, b) => a.path.length - b.path.length);
    for (const { area, path } of inserts) {
      await tx.db
        .insertInto('areas')
        .values({
          id: idOf.get(area.code) ?? randomUUID(),
          project_id: projectId,
          parent_id: area.parentCode === null ? null : (idOf.get(area.parentCode) ?? null),
          code: area.code,
          level: area.level,
          names: JSON.stringify(area.names),
          path,
          list_version: listVersion,
        })
        .execute();
    }
    for (const stored of existing) {
      const path = pathOf(stored.code, new Set());
      const parentCode = parentCodeOf.get(stored.code) ?? null;
      const parentId = parentCode === null ? null : (idOf.get(parentCode) ?? null);
      const input = incoming.get(stored.code);
      if (input === undefined && stored.path === path && stored.parent_id === parentId) continue;
      await tx.db
        .updateTable('areas')
        .set({
          parent_id: parentId,
          path,
          ...(input === undefined ? {} : { level: input.level, names: JSON.stringify(input.names) }),
        })
        .where('id', '=', stored.id)
        .execute();
    }
    return listAreas(projectId, listVersion, tx);
  });
}

/** A project's areas (one list version, or all when null), parents before children. */
export async function listAreas(projectId: string, listVersion: string | null, store: Store): Promise<Area[]> {
  let query = store.db.selectFrom('areas').selectAll().where('project_id', '=', projectId);
  if (listVersion !== null) query = query.where('list_version', '=', listVersion);
  const rows = await query.orderBy('list_version').orderBy('path').execute();
  return rows.map(parseArea);
}

export async function findArea(id: string, store: Store): Promise<Area | undefined> {
  return keptRead(store, `area|${id}`, async () => {
    const row = await store.db.selectFrom('areas').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : parseArea(row);
  });
}

/** The id, code and names (by language) of each area among `ids` that exists. */
export async function areaNamesByIds(
  ids: readonly string[],
  store: Store,
): Promise<Array<Pick<Area, 'id' | 'code' | 'names'>>> {
  if (ids.length === 0) return [];
  const rows = await store.db
    .selectFrom('areas')
    .select(['id', 'code', 'names'])
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((row) => ({ id: row.id, code: row.code, names: JSON.parse(row.names) as Record<string, string> }));
}

/** The project's areas (of every list version) whose code is one of `codes`: what locateEntity places cases by. */
export async function areasWithCodes(
  projectId: string,
  codes: readonly string[],
  store: Store,
): Promise<Array<{ id: string; path: string; list_version: string }>> {
  if (codes.length === 0) return [];
  return keptRead(store, `areasWithCodes|${projectId}|${JSON.stringify(codes)}`, () =>
    store.db
      .selectFrom('areas')
      .select(['id', 'path', 'list_version'])
      .where('project_id', '=', projectId)
      .where('code', 'in', [...codes])
      .execute(),
  );
}

/** The ids of an area and everything below it; empty when the area does not exist. */
export async function areaSubtreeIds(areaId: string, store: Store): Promise<string[]> {
  const root = await store.db.selectFrom('areas').select('path').where('id', '=', areaId).executeTakeFirst();
  if (root === undefined) return [];
  const rows = await store.db
    .selectFrom('areas')
    .select('id')
    .where(sql<boolean>`path like ${`${escapeLike(root.path)}%`} escape '\\'`)
    .orderBy('path')
    .execute();
  return rows.map((row) => row.id);
}
