import { sql } from 'kysely';
import type { RawBuilder, SelectQueryBuilder, SqlBool } from 'kysely';
import type { ScopeFilter } from '@outpost/core';

/** The columns a scope filter reads, as qualified names (`areas.path`, `entities.team`). */
export interface ScopeColumns {
  /** The materialised area path (`/a/b/`) of the record's area. */
  areaPath: string;
  team: string;
  assignee: string;
  /** The entity list name. */
  list: string;
  /** Who sent the record (`submissions.user_id`); absent where the table keeps no sender. */
  creator?: string;
}

/** Entities joined with `entity_lists` and (left) `areas`. */
export const entityScopeColumns: ScopeColumns = {
  areaPath: 'areas.path',
  team: 'entities.team',
  assignee: 'entities.assignee_id',
  list: 'entity_lists.name',
};

const yes = sql<SqlBool>`(1 = 1)`;
const no = sql<SqlBool>`(1 = 0)`;

/**
 * A core `ScopeFilter` as one SQL condition that is never NULL: a NULL column matches nothing, as
 * in `matchesScopeFilter`. Area prefixes are compared with `substr` over the prefix's own length
 * (counted by the database, so both sides agree on characters), never with LIKE, so `%` and `_`
 * in a path are plain characters. Every value is a bound parameter.
 */
export function scopeFilterSql(filter: ScopeFilter, columns: ScopeColumns): RawBuilder<SqlBool> {
  const known = (condition: RawBuilder<SqlBool>) => sql<SqlBool>`coalesce(${condition}, ${no})`;
  switch (filter.kind) {
    case 'all':
      return yes;
    case 'none':
      return no;
    case 'areas': {
      if (filter.pathPrefixes.length === 0) return no;
      const column = sql.ref(columns.areaPath);
      return or(
        filter.pathPrefixes.map((p) =>
          known(sql<SqlBool>`substr(${column}, 1, length(cast(${p} as text))) = cast(${p} as text)`),
        ),
      );
    }
    case 'assignee':
      return known(sql<SqlBool>`${sql.ref(columns.assignee)} = ${filter.userId}`);
    case 'creator':
      return columns.creator === undefined ? no : known(sql<SqlBool>`${sql.ref(columns.creator)} = ${filter.userId}`);
    case 'team':
      if (filter.teams.length === 0) return no;
      return known(sql<SqlBool>`${sql.ref(columns.team)} in (${sql.join([...filter.teams])})`);
    case 'lists':
      if (filter.names.length === 0) return no;
      return known(sql<SqlBool>`${sql.ref(columns.list)} in (${sql.join([...filter.names])})`);
    case 'anyOf':
      return or(filter.filters.map((f) => scopeFilterSql(f, columns)));
    case 'allOf':
      if (filter.filters.length === 0) return yes;
      return sql<SqlBool>`(${sql.join(
        filter.filters.map((f) => scopeFilterSql(f, columns)),
        sql` and `,
      )})`;
  }
}

function or(conditions: readonly RawBuilder<SqlBool>[]): RawBuilder<SqlBool> {
  if (conditions.length === 0) return no;
  return sql<SqlBool>`(${sql.join([...conditions], sql` or `)})`;
}

/** Adds the filter to a query as a `where` clause over `columns`. */
export function applyScopeFilter<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  filter: ScopeFilter,
  columns: ScopeColumns,
): SelectQueryBuilder<DB, TB, O> {
  return query.where(scopeFilterSql(filter, columns));
}
