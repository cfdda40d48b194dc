import type { Ast, BinaryOp, NodeTest, Step } from './xpathParse.js';
import { compileCall, supportedFunctions } from './xpathFunctions.js';

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
  /**
   * One filtering of a node-set by a predicate (null outside predicates): what the predicate
   * reads regardless of the node it is tested on is evaluated once per filtering and kept here,
   * one slot for each such part (compilePredicate).
   */
  filtering: Value[] | null;
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

/** An expression compiled to a function of its context: built once per expression, then only called. */
export type Compiled = (ctx: Context) => Value;

const compiledExpressions = new WeakMap<Ast, Compiled>();

/**
 * The expression as a function, compiled on first use and kept with its tree (a form version's
 * trees live as long as its rules): evaluating it walks no tree and dispatches on nothing.
 */
export function compile(ast: Ast): Compiled {
  let fn = compiledExpressions.get(ast);
  if (fn === undefined) {
    fn = compileNode(ast);
    compiledExpressions.set(ast, fn);
  }
  return fn;
}

export function evaluate(ast: Ast, ctx: Context): Value {
  return compile(ast)(ctx);
}

/** A child expression compiled: as it is, or, inside a predicate, with its invariant parts hoisted. */
type Sub = (ast: Ast) => Compiled;

function compileNode(ast: Ast, sub: Sub = compile): Compiled {
  switch (ast.k) {
    case 'num':
    case 'str': {
      const v = ast.v;
      return () => v;
    }
    case 'neg': {
      const e = sub(ast.e);
      return (ctx) => -toNumber(e(ctx), ctx.env);
    }
    case 'bin':
      return compileBinary(ast.op, sub(ast.l), sub(ast.r));
    case 'union': {
      const l = sub(ast.l);
      const r = sub(ast.r);
      return (ctx) => sortUnique([...nodes(l(ctx)), ...nodes(r(ctx))]);
    }
    case 'fn':
      return compileCall(ast.name, ast.args.map(sub));
    case 'filter': {
      const e = sub(ast.e);
      const preds = ast.preds.map(compilePredicate);
      return (ctx) => filterAll(nodes(e(ctx)), preds, ctx);
    }
    case 'path': {
      const start = ast.start;
      const steps = ast.steps.map(compileStep);
      const from: (ctx: Context) => XNode[] =
        start === 'root'
          ? (ctx) => [ctx.env.root]
          : start === 'context'
            ? (ctx) => [ctx.node]
            : (
                (e: Compiled) => (ctx: Context) =>
                  nodes(e(ctx))
              )(sub(start));
      return (ctx) => {
        let set = from(ctx);
        for (const step of steps) set = step(set, ctx);
        return set;
      };
    }
  }
}

function compileBinary(op: BinaryOp, l: Compiled, r: Compiled): Compiled {
  switch (op) {
    case 'or':
      return (ctx) => toBoolean(l(ctx)) || toBoolean(r(ctx));
    case 'and':
      return (ctx) => toBoolean(l(ctx)) && toBoolean(r(ctx));
    case '=':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return (ctx) => compare(op, l(ctx), r(ctx), ctx.env);
    default:
      return (ctx) => {
        const a = l(ctx);
        const b = r(ctx);
        return arithmetic(op, toNumber(a, ctx.env), toNumber(b, ctx.env));
      };
  }
}

function nodes(value: Value): XNode[] {
  if (!Array.isArray(value)) throw new TypeError('a node-set was expected');
  return value;
}

/** The nodes in document order, each once. */
function sortUnique(list: XNode[]): XNode[] {
  // Already in order with no node twice (most paths): the sort would change nothing.
  let ordered = true;
  for (let i = 1; i < list.length && ordered; i++) ordered = (list[i - 1] as XNode).order < (list[i] as XNode).order;
  if (ordered) return list;
  const unique = [...new Set(list)];
  unique.sort((a, b) => a.order - b.order);
  return unique;
}

function nodeTest(test: NodeTest): (node: XNode) => boolean {
  switch (test.kind) {
    case 'node':
      return () => true;
    case 'text':
      return () => false;
    case 'any':
      return (node) => node.kind !== 'document';
    default: {
      const name = test.name;
      return (node) => node.kind !== 'document' && node.name === name;
    }
  }
}

function descendantsOrSelf(node: XNode, out: XNode[]): void {
  out.push(node);
  for (const c of node.children) descendantsOrSelf(c, out);
}

/** One location step: from each node of a set, the nodes along its axis that pass its test and predicates. */
function compileStep(s: Step): (set: XNode[], ctx: Context) => XNode[] {
  const matches = nodeTest(s.test);
  const preds = s.preds.map(compilePredicate);
  const axis = s.axis;
  const candidatesOf = (node: XNode): XNode[] => {
    switch (axis) {
      case 'child':
        return node.children;
      case 'attribute':
        return node.attributes;
      case 'self':
        return [node];
      case 'parent':
        return node.parent === null ? [] : [node.parent];
      default: {
        const all: XNode[] = [];
        descendantsOrSelf(node, all);
        return all;
      }
    }
  };
  return (set, ctx) => {
    const out: XNode[] = [];
    for (const node of set) {
      const candidates = candidatesOf(node);
      if (preds.length === 0) {
        for (const c of candidates) if (matches(c)) out.push(c);
      } else {
        for (const h of filterAll(candidates.filter(matches), preds, ctx)) out.push(h);
      }
    }
    return set.length > 1 || axis === 'parent' ? sortUnique(out) : out;
  };
}

/** The nodes of a set for which each predicate in turn holds (a number: the node's position). */
function filterAll(set: XNode[], preds: Compiled[], ctx: Context): XNode[] {
  let current = set;
  for (const pred of preds) {
    const size = current.length;
    const filtering: Value[] = [];
    const kept: XNode[] = [];
    for (let i = 0; i < size; i++) {
      const node = current[i] as XNode;
      const v = pred({ node, position: i + 1, size, current: ctx.current, env: ctx.env, filtering });
      if (typeof v === 'number' ? v === i + 1 : toBoolean(v)) kept.push(node);
    }
    current = kept;
  }
  return current;
}

/** Functions whose value depends on the node a predicate tests (or the clock), given these many arguments. */
function readsContext(name: string, args: number): boolean {
  if (name === 'position' || name === 'last' || name === 'today' || name === 'now') return true;
  return args === 0 && ['string', 'number', 'string-length', 'normalize-space'].includes(name);
}

/**
 * Whether an expression has one value for every node a predicate tests: it reads neither the
 * context node, position nor size (nested predicates have their own), nor the clock. Reading the
 * instance is allowed: nothing an evaluation reads changes while one node-set is filtered (values
 * are computed once and kept).
 */
function invariant(ast: Ast): boolean {
  switch (ast.k) {
    case 'num':
    case 'str':
      return true;
    case 'neg':
      return invariant(ast.e);
    case 'bin':
    case 'union':
      return invariant(ast.l) && invariant(ast.r);
    case 'fn':
      return supportedFunctions.has(ast.name) && !readsContext(ast.name, ast.args.length) && ast.args.every(invariant);
    case 'filter':
      return invariant(ast.e);
    case 'path':
      return ast.start === 'root' || (ast.start !== 'context' && invariant(ast.start));
  }
}

/**
 * A predicate compiled with each largest part that is the same for every node it tests evaluated
 * once per filtering, when first needed (an `and` may never need it), instead of once per node.
 */
function compilePredicate(ast: Ast): Compiled {
  let slots = 0;
  const sub: Sub = (part) => {
    if (!invariant(part)) return compileNode(part, sub);
    const inner = compile(part);
    if (part.k === 'num' || part.k === 'str') return inner;
    // Kept in the filtering's own slot, so it goes with the filtering: nothing of an instance
    // outlives its judgment here.
    const slot = slots++;
    return (ctx) => {
      const filtering = ctx.filtering;
      if (filtering === null) return inner(ctx);
      const hit = filtering[slot];
      if (hit !== undefined) return hit;
      const v = inner(ctx);
      filtering[slot] = v;
      return v;
    };
  };
  return sub(ast);
}
