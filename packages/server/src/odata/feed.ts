import { ProblemError } from '@outpost/core';
import { submissionView } from '../policy/submissionView.js';
import type { SubmissionReader } from '../policy/submissionView.js';
import { latestSubmissionSeq, submissionsAfter } from '../storage/queries/exports.js';
import type { ExportedSubmission } from '../storage/queries/exports.js';
import type { Store } from '../storage/store.js';
import type { ODataModel, ODataTable } from './model.js';
import { navigationPaths } from './model.js';
import { compareRows, selectProperties } from './query.js';
import type { ODataQuery, Row } from './query.js';
import { tableRows } from './rows.js';
import type { FeedSubmission, Projection } from './rows.js';

/** Submissions read per query: memory stays flat whatever the form's size. */
const READ = 500;
/** Rows a `$orderby` on form fields may sort in memory; beyond it the request is refused. */
export const SORT_LIMIT = 50_000;

/**
 * Where the next page starts. `snapshot` is the newest submission's commit sequence when the
 * first page was asked for: later submissions and edits are left out of every page, so rows
 * neither repeat nor go missing while data arrives. In submission order, `after` is the last
 * submission read whole and `within` the rows of the next one already sent; when sorting,
 * `offset` counts the rows already sent.
 */
interface Cursor {
  v: 1;
  snapshot: number;
  after: number;
  within: number;
  offset: number;
  /** Rows still to send under `$top`; null for no limit. */
  remaining: number | null;
  /** `@odata.count`, computed once on the first page. */
  count: number | null;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(token: string): Cursor {
  const bad = () => new ProblemError('odata.invalid-query', '$skiptoken is not one this server gave out.');
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(token)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const c = parsed as Partial<Cursor>;
  const whole = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (
    c.v !== 1 ||
    !whole(c.snapshot) ||
    !whole(c.after) ||
    !whole(c.within) ||
    !whole(c.offset) ||
    !(c.remaining === null || whole(c.remaining)) ||
    !(c.count === null || whole(c.count))
  ) {
    throw bad();
  }
  return c as Cursor;
}

export interface FeedRequest {
  readonly formId: string;
  readonly model: ODataModel;
  readonly table: ODataTable;
  readonly query: ODataQuery;
  readonly reader: SubmissionReader;
  /** Rows per page (the server's page size, or the client's `odata.maxpagesize`). */
  readonly pageSize: number;
}

export interface FeedPage {
  readonly rows: Row[];
  readonly count: number | null;
  /** The `$skiptoken` of the next page; null on the last one. */
  readonly next: string | null;
}

function asFeedSubmission(s: ExportedSubmission, data: Record<string, unknown>): FeedSubmission {
  return {
    instanceId: s.instanceId,
    projection: data as Projection,
    system: {
      submissionDate: s.receivedAt,
      submitterId: s.userId,
      submitterName: s.username,
      deviceId: s.deviceId,
      formVersion: s.version,
      edited: s.replaces !== null,
    },
  };
}

/** Every submission of the snapshot after `after`, as the reader may see it, with its seq. */
async function* readable(
  request: FeedRequest,
  after: number,
  snapshot: number,
  store: Store,
): AsyncGenerator<{ seq: number; rows: Row[] }> {
  let cursor = after;
  for (;;) {
    const page = await submissionsAfter(request.formId, cursor, READ, store, snapshot);
    if (page.length === 0) return;
    for (const s of page) {
      const data = submissionView(s, request.reader, 'exports.run');
      const rows =
        data === null
          ? []
          : tableRows(request.model, request.table, asFeedSubmission(s, data), request.query.wkt, request.query.expand);
      yield { seq: s.seq, rows: request.query.filter === null ? rows : rows.filter(request.query.filter) };
    }
    cursor = page.at(-1)?.seq ?? cursor;
  }
}

async function countRows(request: FeedRequest, snapshot: number, store: Store): Promise<number> {
  let count = 0;
  for await (const { rows } of readable(request, 0, snapshot, store)) count += rows.length;
  return count;
}

/** Expanded repeats stay in a row whatever `$select` says (a group's come with the group). */
function expandedNames(query: ODataQuery, table: ODataTable): string[] {
  if (query.expand === null || query.select === null) return [];
  const paths = query.expand === '*' ? navigationPaths(table) : query.expand;
  return [...paths].filter((p) => !p.includes('/'));
}

/** `$orderby` on `__system/submissionDate` ascending is submission order: no sort needed. */
function inSubmissionOrder(query: ODataQuery): boolean {
  return (
    query.orderBy.length === 0 ||
    (query.orderBy.length === 1 &&
      query.orderBy[0]?.path === '__system/submissionDate' &&
      query.orderBy[0].descending === false)
  );
}

/**
 * One page of a table of the form's OData feed: the rows the reader may see, filtered, in
 * submission order (streamed from the store) or sorted (every matching row held, up to
 * SORT_LIMIT), with the token of the next page.
 */
export async function feedPage(request: FeedRequest, store: Store): Promise<FeedPage> {
  const { query, pageSize } = request;
  const cursor: Cursor =
    query.skipToken !== null
      ? decodeCursor(query.skipToken)
      : {
          v: 1,
          snapshot: await latestSubmissionSeq(request.formId, store),
          after: 0,
          within: 0,
          offset: query.skip,
          remaining: query.top,
          count: null,
        };
  if (query.count && cursor.count === null) cursor.count = await countRows(request, cursor.snapshot, store);
  const limit = Math.min(pageSize, cursor.remaining ?? pageSize);
  const keep = ['__id', ...expandedNames(query, request.table)];
  const out: Row[] = [];
  let next: Cursor | null = null;
  if (inSubmissionOrder(query)) {
    // `offset` here is the $skip still to pass over (only on the first page).
    let skip = cursor.offset;
    let after = cursor.after;
    let within = cursor.within;
    outer: for await (const { seq, rows } of readable(request, cursor.after, cursor.snapshot, store)) {
      for (let i = within; i < rows.length; i++) {
        const row = rows[i] as Row;
        if (skip > 0) {
          skip--;
          continue;
        }
        if (out.length === limit) {
          next = { ...cursor, after, within: i, offset: 0, remaining: null };
          break outer;
        }
        out.push(selectProperties(row, query.select, keep));
      }
      after = seq;
      within = 0;
    }
  } else {
    const all: Row[] = [];
    for await (const { rows } of readable(request, 0, cursor.snapshot, store)) {
      all.push(...rows);
      if (all.length > SORT_LIMIT) {
        throw new ProblemError(
          'odata.too-many-to-sort',
          `More than ${SORT_LIMIT.toLocaleString('en')} rows match; narrow them with $filter.`,
        );
      }
    }
    all.sort((a, b) => compareRows(a, b, query.orderBy) || String(a.__id).localeCompare(String(b.__id)));
    const page = all.slice(cursor.offset, cursor.offset + limit);
    out.push(...page.map((r) => selectProperties(r, query.select, keep)));
    if (cursor.offset + limit < all.length) next = { ...cursor, offset: cursor.offset + limit, remaining: null };
  }
  if (next !== null) {
    const remaining = cursor.remaining === null ? null : cursor.remaining - out.length;
    next = remaining === 0 ? null : { ...next, remaining };
  }
  return { rows: out, count: cursor.count, next: next === null ? null : encodeCursor(next) };
}

/**
 * One page of rows already read whole (an entity list): filtered, sorted when asked, and paged
 * by offset. The rows are what the reader may see; the snapshot is the list as read now.
 */
export function pageOfRows(all: readonly Row[], query: ODataQuery, pageSize: number): FeedPage {
  const cursor: Cursor =
    query.skipToken !== null
      ? decodeCursor(query.skipToken)
      : { v: 1, snapshot: 0, after: 0, within: 0, offset: query.skip, remaining: query.top, count: null };
  const rows = query.filter === null ? [...all] : all.filter(query.filter);
  if (query.orderBy.length > 0) rows.sort((a, b) => compareRows(a, b, query.orderBy));
  const count = query.count ? (cursor.count ?? rows.length) : null;
  const limit = Math.min(pageSize, cursor.remaining ?? pageSize);
  const page = rows.slice(cursor.offset, cursor.offset + limit).map((r) => selectProperties(r, query.select, ['__id']));
  const remaining = cursor.remaining === null ? null : cursor.remaining - page.length;
  const more = cursor.offset + limit < rows.length && remaining !== 0;
  return {
    rows: page,
    count,
    next: more ? encodeCursor({ ...cursor, offset: cursor.offset + limit, remaining, count }) : null,
  };
}
