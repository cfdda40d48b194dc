import { filter as parseFilter, query as parseQuery } from 'odata-v4-parser';
import { ProblemError } from '@outpost/core';

/**
 * OData query options read with `odata-v4-parser` (the parser ODK Central uses) and compiled to
 * functions over a row as the feed sends it. Filters and sorts see the row after the policy has
 * redacted it, so a hidden field matches nothing and cannot be probed.
 */

export type Row = Record<string, unknown>;
type Value = string | number | boolean | null;
type Evaluate = (row: Row) => Value;

interface Token {
  type: string;
  raw: string;
  value: unknown;
}

export interface SortKey {
  readonly path: string;
  readonly descending: boolean;
}

export interface ODataQuery {
  readonly filter: ((row: Row) => boolean) | null;
  readonly orderBy: readonly SortKey[];
  readonly select: readonly string[] | null;
  readonly top: number | null;
  readonly skip: number;
  readonly count: boolean;
  readonly wkt: boolean;
  readonly skipToken: string | null;
  /** `$expand`: `*`, or the paths of the table's navigation properties to send inline; null for none. */
  readonly expand: '*' | ReadonlySet<string> | null;
}

export const QUERY_OPTIONS = [
  '$filter',
  '$orderby',
  '$select',
  '$top',
  '$skip',
  '$count',
  '$skiptoken',
  '$wkt',
  '$format',
  '$expand',
];

const invalid = (detail: string): ProblemError => new ProblemError('odata.invalid-query', detail);

/** The value at a path (`household/size`) of a row. */
export function valueAtPath(row: Row, path: string): unknown {
  let node: unknown = row;
  for (const step of path.split('/')) {
    if (node === null || typeof node !== 'object') return null;
    node = (node as Row)[step];
  }
  return node === undefined ? null : node;
}

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/;

function literal(token: Token): Value {
  const type = String(token.value);
  const raw = token.raw;
  if (type === 'null') return null;
  if (type === 'Edm.String') return raw.slice(1, -1).replace(/''/g, "'");
  if (type === 'Edm.Boolean') return raw.toLowerCase() === 'true';
  if (/^Edm\.(S?Byte|Int16|Int32|Int64|Decimal|Double|Single)$/.test(type)) return Number(raw);
  if (type === 'Edm.Date' || type === 'Edm.DateTimeOffset' || type === 'Edm.TimeOfDay' || type === 'Edm.Guid')
    return raw;
  throw invalid(`Literals of type ${type} are not supported: ${raw}.`);
}

function comparable(a: Value, b: Value): [number | string | boolean, number | string | boolean] | null {
  if (a === null || b === null) return null;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = Number(a);
    const y = Number(b);
    return Number.isNaN(x) || Number.isNaN(y) ? null : [x, y];
  }
  if (typeof a === 'string' && typeof b === 'string' && DATE_LIKE.test(a) && DATE_LIKE.test(b)) {
    // A date compares with a date-time as midnight UTC, as Central compares submission dates.
    if (a.length > 10 || b.length > 10) return [Date.parse(a), Date.parse(b)];
    return [a, b];
  }
  return [a, b];
}

function compare(op: string, a: Value, b: Value): boolean {
  if (op === 'EqualsExpression' || op === 'NotEqualsExpression') {
    const pair = a === null || b === null ? null : comparable(a, b);
    const equal = pair === null ? a === b : pair[0] === pair[1];
    return op === 'EqualsExpression' ? equal : !equal;
  }
  const pair = comparable(a, b);
  if (pair === null) return false;
  const [x, y] = pair;
  if (op === 'LesserThanExpression') return x < y;
  if (op === 'LesserOrEqualsExpression') return x <= y;
  if (op === 'GreaterThanExpression') return x > y;
  return x >= y;
}

const text = (v: Value | undefined): string | null => (v === null || v === undefined ? null : String(v));
const number = (v: Value | undefined): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isNaN(n) ? null : n;
};
function datePart(v: Value | undefined, part: 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second'): number | null {
  if (v === null || v === undefined) return null;
  const s = String(v);
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const [y, m, d] = s.split('-').map(Number);
    return { year: y, month: m, day: d, hour: 0, minute: 0, second: 0 }[part] ?? null;
  }
  // A date-time keeps its own offset, as Central reads it: the wall-clock parts as written.
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(s);
  if (match === null) return null;
  const index = { year: 1, month: 2, day: 3, hour: 4, minute: 5, second: 6 }[part];
  return Number(match[index]);
}

type Method = (args: Value[], now: Date) => Value;
const METHODS: Record<string, Method> = {
  contains: ([a, b]) => (text(a) === null || text(b) === null ? false : String(a).includes(String(b))),
  startswith: ([a, b]) => (text(a) === null || text(b) === null ? false : String(a).startsWith(String(b))),
  endswith: ([a, b]) => (text(a) === null || text(b) === null ? false : String(a).endsWith(String(b))),
  length: ([a]) => (text(a) === null ? null : [...String(a)].length),
  indexof: ([a, b]) => (text(a) === null || text(b) === null ? null : String(a).indexOf(String(b))),
  substring: ([a, start, length]) => {
    if (text(a) === null) return null;
    const from = number(start) ?? 0;
    return length === undefined ? String(a).slice(from) : String(a).slice(from, from + (number(length) ?? 0));
  },
  tolower: ([a]) => (text(a) === null ? null : String(a).toLowerCase()),
  toupper: ([a]) => (text(a) === null ? null : String(a).toUpperCase()),
  trim: ([a]) => (text(a) === null ? null : String(a).trim()),
  concat: ([a, b]) => `${text(a) ?? ''}${text(b) ?? ''}`,
  year: ([a]) => datePart(a, 'year'),
  month: ([a]) => datePart(a, 'month'),
  day: ([a]) => datePart(a, 'day'),
  hour: ([a]) => datePart(a, 'hour'),
  minute: ([a]) => datePart(a, 'minute'),
  second: ([a]) => datePart(a, 'second'),
  date: ([a]) => (text(a) === null ? null : String(a).slice(0, 10)),
  now: (_args, now) => now.toISOString(),
  round: ([a]) => (number(a) === null ? null : Math.round(Number(a))),
  floor: ([a]) => (number(a) === null ? null : Math.floor(Number(a))),
  ceiling: ([a]) => (number(a) === null ? null : Math.ceil(Number(a))),
};

const ARITHMETIC: Record<string, (x: number, y: number) => number> = {
  AddExpression: (x, y) => x + y,
  SubExpression: (x, y) => x - y,
  MulExpression: (x, y) => x * y,
  DivExpression: (x, y) => x / y,
  ModExpression: (x, y) => x % y,
};

const COMPARISONS = new Set([
  'EqualsExpression',
  'NotEqualsExpression',
  'LesserThanExpression',
  'LesserOrEqualsExpression',
  'GreaterThanExpression',
  'GreaterOrEqualsExpression',
]);

function asValue(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/** Compiles one parsed expression against the table's properties (path → EDM type). */
function compile(token: Token, properties: ReadonlyMap<string, string>, now: Date): Evaluate {
  const { type } = token;
  if (type === 'Literal') {
    const value = literal(token);
    return () => value;
  }
  if (type === 'FirstMemberExpression' || type === 'MemberExpression' || type === 'PropertyPathExpression') {
    const path = token.raw.replace(/\s+/g, '');
    if (!properties.has(path)) throw invalid(`This table has no property "${path}".`);
    return (row) => asValue(valueAtPath(row, path));
  }
  const inner = token.value as Token & { left?: Token; right?: Token; method?: string; parameters?: Token[] };
  if (type === 'BoolParenExpression' || type === 'ParenExpression' || type === 'CommonExpression') {
    return compile(inner, properties, now);
  }
  if (type === 'NotExpression') {
    const operand = compile(inner, properties, now);
    return (row) => operand(row) !== true;
  }
  if (type === 'NegateExpression') {
    const operand = compile(inner, properties, now);
    return (row) => {
      const n = number(operand(row));
      return n === null ? null : -n;
    };
  }
  if (type === 'AndExpression' || type === 'OrExpression') {
    const left = compile(inner.left as Token, properties, now);
    const right = compile(inner.right as Token, properties, now);
    return type === 'AndExpression'
      ? (row) => left(row) === true && right(row) === true
      : (row) => left(row) === true || right(row) === true;
  }
  if (COMPARISONS.has(type)) {
    const left = compile(inner.left as Token, properties, now);
    const right = compile(inner.right as Token, properties, now);
    return (row) => compare(type, left(row), right(row));
  }
  const op = ARITHMETIC[type];
  if (op !== undefined) {
    const left = compile(inner.left as Token, properties, now);
    const right = compile(inner.right as Token, properties, now);
    return (row) => {
      const x = number(left(row));
      const y = number(right(row));
      if (x === null || y === null) return null;
      const r = op(x, y);
      return Number.isFinite(r) ? r : null;
    };
  }
  if (type === 'MethodCallExpression') {
    const method = METHODS[inner.method ?? ''];
    if (method === undefined) throw invalid(`The function ${inner.method ?? '?'}() is not supported.`);
    const args = (inner.parameters ?? []).map((p) => compile(p, properties, now));
    return (row) =>
      method(
        args.map((a) => a(row)),
        now,
      );
  }
  throw invalid(`This part of $filter is not supported: ${token.raw}.`);
}

function integer(name: string, value: string | undefined, max: number): number | null {
  if (value === undefined) return null;
  if (!/^\d{1,9}$/.test(value) || Number(value) > max) throw invalid(`${name} must be a whole number up to ${max}.`);
  return Number(value);
}

function parseWith<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ProblemError) throw err;
    throw invalid(`${what} cannot be read.`);
  }
}

/**
 * Reads the query options of a data request against a table's properties. Unknown `$` options are
 * refused (Central answers 501 for them; a 400 here, with the option named).
 */
export function readQuery(
  options: Record<string, string | undefined>,
  properties: ReadonlyMap<string, string>,
  now: Date,
  navigations: ReadonlySet<string> = new Set(),
): ODataQuery {
  for (const key of Object.keys(options)) {
    if (key.startsWith('$') && !QUERY_OPTIONS.includes(key)) throw invalid(`The option ${key} is not supported.`);
  }
  const filterText = options.$filter;
  if (filterText !== undefined && filterText.length > 4000) throw invalid('$filter is longer than 4,000 characters.');
  const filter =
    filterText === undefined
      ? null
      : (() => {
          const ast = parseWith('$filter', () => parseFilter(filterText) as unknown as Token | null);
          if (ast === null || ast.raw.length !== filterText.length) throw invalid('$filter cannot be read.');
          const evaluate = compile(ast, properties, now);
          return (row: Row) => evaluate(row) === true;
        })();
  const orderBy: SortKey[] = [];
  if (options.$orderby !== undefined) {
    const text = options.$orderby;
    const ast = parseWith('$orderby', () => parseQuery(`$orderby=${text}`) as unknown as Token | null);
    const option = (ast?.value as { options?: Token[] } | undefined)?.options?.[0];
    if (option === undefined || option.raw !== `$orderby=${text}`) throw invalid('$orderby cannot be read.');
    for (const item of (option.value as { items: Token[] }).items) {
      const { expr, direction } = item.value as { expr: Token; direction: number };
      const path = expr.raw.replace(/\s+/g, '');
      if (!properties.has(path)) throw invalid(`This table has no property "${path}" to sort by.`);
      orderBy.push({ path, descending: direction < 0 });
    }
  }
  let select: string[] | null = null;
  if (options.$select !== undefined && options.$select.trim() !== '*') {
    select = options.$select.split(',').map((s) => s.trim());
    for (const path of select) {
      const known = properties.has(path) || [...properties.keys()].some((p) => p.startsWith(`${path}/`));
      if (!known) throw invalid(`This table has no property "${path}" to select.`);
    }
  }
  const count = options.$count;
  if (count !== undefined && count !== 'true' && count !== 'false') throw invalid('$count must be true or false.');
  const wkt = options.$wkt;
  if (wkt !== undefined && wkt !== 'true' && wkt !== 'false') throw invalid('$wkt must be true or false.');
  const format = options.$format;
  if (format !== undefined && format !== 'json' && !format.startsWith('application/json')) {
    throw invalid('Only JSON is offered ($format=json).');
  }
  return {
    filter,
    orderBy,
    select,
    expand: readExpand(options.$expand, navigations),
    top: integer('$top', options.$top, 1_000_000_000),
    skip: integer('$skip', options.$skip, 1_000_000_000) ?? 0,
    count: count === 'true',
    wkt: wkt === 'true',
    skipToken: options.$skiptoken ?? null,
  };
}

/**
 * `$expand=*` (every repeat, at every depth, as ODK Central offers it on `Submissions`) or a list
 * of the table's navigation properties (`members`, `household/members`; one level each).
 */
function readExpand(text: string | undefined, navigations: ReadonlySet<string>): '*' | ReadonlySet<string> | null {
  if (text === undefined || text.trim() === '') return null;
  if (text.trim() === '*') return '*';
  const paths = text.split(',').map((p) => p.trim());
  for (const path of paths) {
    if (!navigations.has(path)) throw invalid(`This table has no navigation property "${path}" to expand.`);
  }
  return new Set(paths);
}

/** Orders two rows by the sort keys; nulls first, as OData sorts them ascending. */
export function compareRows(a: Row, b: Row, keys: readonly SortKey[]): number {
  for (const key of keys) {
    const x = asValue(valueAtPath(a, key.path));
    const y = asValue(valueAtPath(b, key.path));
    let order = 0;
    if (x === null || y === null) order = x === y ? 0 : x === null ? -1 : 1;
    else {
      const pair = comparable(x, y) ?? [String(x), String(y)];
      order = pair[0] < pair[1] ? -1 : pair[0] > pair[1] ? 1 : 0;
    }
    if (order !== 0) return key.descending ? -order : order;
  }
  return 0;
}

/** Only the selected properties of a row (`household/size` keeps the group around it). */
export function selectProperties(row: Row, select: readonly string[] | null, keep: readonly string[]): Row {
  if (select === null) return row;
  const out: Row = {};
  for (const path of [...keep, ...select]) {
    const steps = path.split('/');
    let from: unknown = row;
    let to: Row = out;
    steps.forEach((step, i) => {
      if (from === null || typeof from !== 'object') return;
      const value = (from as Row)[step];
      if (i === steps.length - 1) {
        if (value !== undefined) to[step] = value;
        for (const [k, v] of Object.entries(from as Row)) {
          if (k.startsWith(`${step}@odata.`)) to[k] = v;
        }
      } else {
        to[step] = to[step] ?? {};
        to = to[step] as Row;
        from = value;
      }
    });
  }
  return out;
}
