import { formEntityLists, scopeFilter } from '@outpost/core';
import type { FormSummary } from '@outpost/core';
import { redactEntity } from '../policy/redactEntity.js';
import type { ProjectAccess } from '../policy/projectAccess.js';
import type { PolicyCatalogue } from '@outpost/core';
import { ProblemError } from '@outpost/core';
import { allEntities, entitiesAfter } from '../storage/queries/entities.js';
import type { ListedEntity } from '../storage/queries/entities.js';
import type { Store } from '../storage/store.js';
import type { ODataModel } from './model.js';
import type { ODataQuery, Row } from './query.js';
import { selectProperties } from './query.js';
import { pageOfRows } from './feed.js';
import type { FeedPage } from './feed.js';

/** An entity property as text: properties are stored as text, anything else as JSON. */
function propertyText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The `__system` properties of an entity row. */
const ENTITY_SYSTEM: ReadonlyArray<readonly [string, string]> = [
  ['createdAt', 'Edm.DateTimeOffset'],
  ['updatedAt', 'Edm.DateTimeOffset'],
  ['version', 'Edm.Int64'],
  ['area', 'Edm.String'],
];

/** An entity list as an OData service (Central's dataset service): one table, `Entities`. */
export function entityModel(listName: string, summaries: readonly FormSummary[]): ODataModel {
  const names = new Set<string>();
  for (const summary of summaries) {
    for (const list of formEntityLists(summary))
      if (list.dataset === listName) for (const p of list.properties) names.add(p.property);
  }
  const children = [
    { kind: 'value' as const, name: 'label', edm: 'Edm.String' },
    ...[...names].sort().map((name) => ({ kind: 'value' as const, name, edm: 'Edm.String' })),
  ];
  const properties = new Map<string, string>([
    ['__id', 'Edm.String'],
    ...ENTITY_SYSTEM.map(([name, edm]) => [`__system/${name}`, edm] as [string, string]),
    ...children.map((c) => [c.name, c.edm] as [string, string]),
  ]);
  return {
    formId: listName,
    tables: [{ name: 'Entities', path: '', parent: null, steps: [], children }],
    properties: new Map([['Entities', properties]]),
    system: ENTITY_SYSTEM,
  };
}

/** The row of one entity as the reader may see it (redacted as the app shows it). */
function entityRow(access: ProjectAccess, e: ListedEntity, names: readonly string[], catalogue: PolicyCatalogue): Row {
  const view = redactEntity(access.actor, e, e.area_path, catalogue);
  const row: Row = {
    __id: e.id,
    __system: {
      createdAt: e.created_at,
      updatedAt: e.updated_at,
      version: Number(e.version),
      area:
        view.areaPath
          ?.split('/')
          .filter((s) => s !== '')
          .pop() ?? null,
    },
    label: view.label,
  };
  for (const name of names) {
    const value = view.properties[name];
    row[name] = value === undefined || value === null || value === '' ? null : propertyText(value);
  }
  return row;
}

const propertyNames = (model: ODataModel): string[] =>
  (model.tables[0]?.children ?? []).map((c) => c.name).filter((n) => n !== 'label');

const scopeOf = (access: ProjectAccess) =>
  scopeFilter(access.actor, access.project.id, { action: 'cases.read', recordKind: 'entity' });

/**
 * The live entities of a list that the reader may read (`cases.read` on their scope), redacted as
 * the app shows them (labels and identifying properties hidden, areas coarsened), as rows.
 */
export async function entityRows(
  access: ProjectAccess,
  listName: string,
  model: ODataModel,
  catalogue: PolicyCatalogue,
  store: Store,
): Promise<Row[]> {
  const entities = await allEntities(access.project.id, { listName, scope: scopeOf(access) }, store);
  const names = propertyNames(model);
  return entities.map((e) => entityRow(access, e, names, catalogue));
}

/** Entities read per query while a page is filled. */
const READ = 500;

/**
 * Where the next page of an entity list starts: the list as it stood at `upTo` (entities created
 * later are left out), in creation order after the entity `at`/`id`; `skip` is the `$skip` still
 * to pass over, `remaining` what `$top` still allows, `count` the `@odata.count` of the first page.
 */
interface EntityCursor {
  v: 2;
  upTo: string;
  at: string | null;
  id: string | null;
  skip: number;
  remaining: number | null;
  count: number | null;
}

function decodeEntityCursor(token: string): EntityCursor {
  const bad = () => new ProblemError('odata.invalid-query', '$skiptoken is not one this server gave out.');
  if (!/^[A-Za-z0-9_-]{1,600}$/.test(token)) throw bad();
  let c: Partial<EntityCursor>;
  try {
    c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<EntityCursor>;
  } catch {
    throw bad();
  }
  const whole = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  const text = (t: unknown): boolean => typeof t === 'string' && t.length <= 100;
  if (
    c.v !== 2 ||
    !text(c.upTo) ||
    !(c.at === null || text(c.at)) ||
    !(c.id === null || text(c.id)) ||
    !whole(c.skip) ||
    !(c.remaining === null || whole(c.remaining)) ||
    !(c.count === null || whole(c.count))
  ) {
    throw bad();
  }
  return c as EntityCursor;
}

export interface EntityPageRequest {
  readonly access: ProjectAccess;
  readonly listName: string;
  readonly model: ODataModel;
  readonly catalogue: PolicyCatalogue;
  readonly query: ODataQuery;
  readonly pageSize: number;
  readonly now: Date;
}

/** The rows of the list's snapshot after `after`, a query's worth at a time, with their position. */
async function* readableEntities(
  request: EntityPageRequest,
  upTo: string,
  after: { createdAt: string; id: string } | null,
  store: Store,
): AsyncGenerator<{ at: string; id: string; row: Row | null }> {
  const names = propertyNames(request.model);
  const filter = { listName: request.listName, scope: scopeOf(request.access) };
  let from = after;
  for (;;) {
    const page = await entitiesAfter(
      request.access.project.id,
      filter,
      { after: from, createdUpTo: upTo, limit: READ },
      store,
    );
    if (page.length === 0) return;
    for (const e of page) {
      const row = entityRow(request.access, e, names, request.catalogue);
      yield {
        at: e.created_at,
        id: e.id,
        row: request.query.filter === null || request.query.filter(row) ? row : null,
      };
    }
    const last = page.at(-1);
    if (last === undefined || page.length < READ) return;
    from = { createdAt: last.created_at, id: last.id };
  }
}

/**
 * One page of an entity list's feed. Unsorted (creation order) it is read a query at a time from
 * the store after the previous page's last entity, within the snapshot taken for the first page:
 * an entity created meanwhile is left out, one updated appears once (as it is now), one deleted is
 * not sent, and no other row moves. With `$orderby` the list is read whole and sorted.
 */
export async function entityPage(request: EntityPageRequest, store: Store): Promise<FeedPage> {
  const { query, pageSize } = request;
  if (query.orderBy.length > 0) {
    const rows = await entityRows(request.access, request.listName, request.model, request.catalogue, store);
    return pageOfRows(rows, query, pageSize);
  }
  const cursor: EntityCursor =
    query.skipToken !== null
      ? decodeEntityCursor(query.skipToken)
      : {
          v: 2,
          upTo: request.now.toISOString(),
          at: null,
          id: null,
          skip: query.skip,
          remaining: query.top,
          count: null,
        };
  if (query.count && cursor.count === null) {
    let count = 0;
    for await (const { row } of readableEntities(request, cursor.upTo, null, store)) if (row !== null) count++;
    cursor.count = count;
  }
  const limit = Math.min(pageSize, cursor.remaining ?? pageSize);
  const out: Row[] = [];
  let skip = cursor.skip;
  let last: { at: string; id: string } | null =
    cursor.at === null || cursor.id === null ? null : { at: cursor.at, id: cursor.id };
  let more = false;
  const after = last === null ? null : { createdAt: last.at, id: last.id };
  for await (const { at, id, row } of readableEntities(request, cursor.upTo, after, store)) {
    if (row === null) {
      last = { at, id };
      continue;
    }
    if (skip > 0) {
      skip--;
      last = { at, id };
      continue;
    }
    if (out.length === limit) {
      more = true;
      break;
    }
    out.push(selectProperties(row, query.select, ['__id']));
    last = { at, id };
  }
  const remaining = cursor.remaining === null ? null : cursor.remaining - out.length;
  const next: EntityCursor | null =
    more && remaining !== 0 && last !== null ? { ...cursor, at: last.at, id: last.id, skip: 0, remaining } : null;
  return { rows: out, count: cursor.count, next: next === null ? null : encodeToken(next) };
}

function encodeToken(cursor: EntityCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}
