import type { Ast, Step } from './xpathParse.js';
import { callFunction } from './xpathFunctions.js';

/** A node of an instance as the evaluator sees it: the validator builds these once per instance. */
export interface XNode {
  kind: 'document' | 'element' | 'attribute';
  name: string;
  parent: XNode | null;
  children: XNode[];
  attributes: XNode[];
  /** Position in document order across all trees, for sorting node-sets. */
  order: number;
}

export type Value = string | number | boolean | XNode[];

/** What an evaluation reads from its surroundings. */
export interface EvalEnv {
  /** A node's string value (the validator applies relevance and recalculation here). */
  text(node: XNode): string;
  /** The document of the primary instance (for absolute paths). */
  root: XNode;
  /** The document of a secondary instance, or null when the form has none by that id. */
  instance(id: string): XNode | null;
}

export interface Context {
  node: XNode;
  position: number;
  size: number;
  /** The node the whole expression is evaluated for (`current()`). */
  current: XNode;
  env: EvalEnv;
}

export function stringValue(node: XNode, env: EvalEnv): string {
  if (node.kind === 'attribute' || node.children.length === 0) return env.text(node);
  let out = '';
  for (const child of node.children) out += stringValue(child, env);
  return out;
}

/** XPath's number(): ODK also reads dates and date-times as days since 1970-01-01. */
export function toNumber(value: Value, env: EvalEnv): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const s = typeof value === 'string' ? value : value.length === 0 ? '' : stringValue(value[0] as XNode, env);
  return stringToNumber(s);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/;

export function stringToNumber(text: string): number {
  const s = text.trim();
  if (/^-?(\d+(\.\d*)?|\.\d+)$/.test(s)) return Number(s);
  const date = DATE.exec(s);
  if (date !== null) {
    const ms = dateMillis(s);
    return ms === null ? Number.NaN : ms / 86_400_000;
  }
  return Number.NaN;
}

/** Milliseconds since the epoch of an ISO date (local midnight) or date-time, or null. */
export function dateMillis(text: string): number | null {
  const m = DATE.exec(text.trim());
  if (m === null) return null;
  if (m[4] === undefined) {
    const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    return Number.isNaN(d.getTime()) ? null : d.getTime();
  }
  const t = Date.parse(text.trim());
  return Number.isNaN(t) ? null : t;
}

export function numberToString(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return 'Infinity';
  if (n === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (Object.is(n, -0)) return '0';
  return String(n);
}

export function toString(value: Value, env: EvalEnv): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberToString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return value.length === 0 ? '' : stringValue(value[0] as XNode, env);
}

export function toBoolean(value: Value): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return value.length > 0;
  return value.length > 0;
}

function compareAtoms(op: string, a: string | number | boolean, b: string | number | boolean, env: EvalEnv): boolean {
  if (op === '=' || op === '!=') {
    let equal: boolean;
    if (typeof a === 'boolean' || typeof b === 'boolean') equal = toBoolean(a) === toBoolean(b);
    else if (typeof a === 'number' || typeof b === 'number') equal = toNumber(a, env) === toNumber(b, env);
    else equal = a === b;
    return op === '=' ? equal : !equal;
  }
  const x = toNumber(a, env);
  const y = toNumber(b, env);
  if (op === '<') return x < y;
  if (op === '<=') return x <= y;
  if (op === '>') return x > y;
  return x >= y;
}

function compare(op: string, a: Value, b: Value, env: EvalEnv): boolean {
  const atoms = (v: Value): Array<string | number | boolean> | null =>
    Array.isArray(v) ? v.map((n) => stringValue(n, env)) : null;
  const as = atoms(a);
  const bs = atoms(b);
  if (as !== null && bs !== null) return as.some((x) => bs.some((y) => compareAtoms(op, x, y, env)));
  if (as !== null) {
    if (typeof b === 'boolean') return compareAtoms(op, toBoolean(a), b, env);
    return as.some((x) => compareAtoms(op, x, b as string | number, env));
  }
  if (bs !== null) {
    if (typeof a === 'boolean') return compareAtoms(op, a, toBoolean(b), env);
    return bs.some((y) => compareAtoms(op, a as string | number, y, env));
  }
  return compareAtoms(op, a as string | number | boolean, b as string | number | boolean, env);
}

function arithmetic(op: string, x: number, y: number): number {
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case 'div':
      return x / y;
    default:
      return x % y;
  }
}

export function evaluate(ast: Ast, ctx: Context): Value {
  switch (ast.k) {
    case 'num':
      return ast.v;
    case 'str':
      return ast.v;
    case 'neg':
      return -toNumber(evaluate(ast.e, ctx), ctx.env);
    case 'bin': {
      if (ast.op === 'or') return toBoolean(evaluate(ast.l, ctx)) || toBoolean(evaluate(ast.r, ctx));
      if (ast.op === 'and') return toBoolean(evaluate(ast.l, ctx)) && toBoolean(evaluate(ast.r, ctx));
      const l = evaluate(ast.l, ctx);
      const r = evaluate(ast.r, ctx);
      if (['=', '!=', '<', '<=', '>', '>='].includes(ast.op)) return compare(ast.op, l, r, ctx.env);
      return arithmetic(ast.op, toNumber(l, ctx.env), toNumber(r, ctx.env));
    }
    case 'union':
      return sortUnique([...nodes(evaluate(ast.l, ctx)), ...nodes(evaluate(ast.r, ctx))]);
    case 'fn':
      return callFunction(ast.name, ast.args, ctx);
    case 'filter':
      return filterAll(nodes(evaluate(ast.e, ctx)), ast.preds, ctx);
    case 'path': {
      let set: XNode[];
      if (ast.start === 'root') set = [ctx.env.root];
      else if (ast.start === 'context') set = [ctx.node];
      else set = nodes(evaluate(ast.start, ctx));
      for (const s of ast.steps) set = applyStep(set, s, ctx);
      return set;
    }
  }
}

function nodes(value: Value): XNode[] {
  if (!Array.isArray(value)) throw new TypeError('a node-set was expected');
  return value;
}

function sortUnique(list: XNode[]): XNode[] {
  const unique = [...new Set(list)];
  unique.sort((a, b) => a.order - b.order);
  return unique;
}

function matches(node: XNode, s: Step): boolean {
  if (s.test.kind === 'node') return true;
  if (s.test.kind === 'text') return false;
  if (node.kind === 'document') return false;
  return s.test.kind === 'any' || node.name === s.test.name;
}

function descendantsOrSelf(node: XNode, out: XNode[]): void {
  out.push(node);
  for (const c of node.children) descendantsOrSelf(c, out);
}

function applyStep(set: XNode[], s: Step, ctx: Context): XNode[] {
  const out: XNode[] = [];
  for (const node of set) {
    let candidates: XNode[];
    switch (s.axis) {
      case 'child':
        candidates = node.children;
        break;
      case 'attribute':
        candidates = node.attributes;
        break;
      case 'self':
        candidates = [node];
        break;
      case 'parent':
        candidates = node.parent === null ? [] : [node.parent];
        break;
      default:
        candidates = [];
        descendantsOrSelf(node, candidates);
    }
    const hits = candidates.filter((c) => matches(c, s));
    for (const h of s.preds.length > 0 ? filterAll(hits, s.preds, ctx) : hits) out.push(h);
  }
  return set.length > 1 || s.axis === 'parent' ? sortUnique(out) : out;
}

function filterAll(set: XNode[], preds: Ast[], ctx: Context): XNode[] {
  let current = set;
  for (const pred of preds) {
    const size = current.length;
    current = current.filter((node, i) => {
      const v = evaluate(pred, { ...ctx, node, position: i + 1, size });
      return typeof v === 'number' ? v === i + 1 : toBoolean(v);
    });
  }
  return current;
}
