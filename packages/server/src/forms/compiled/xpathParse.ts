/**
 * A parser for the XPath 1.0 expressions of XForms binds, into a small tree that
 * `xpathEvaluate.ts` evaluates. It covers the grammar ODK forms use (paths with the child,
 * attribute, self, parent and descendant-or-self axes, predicates, operators, function calls);
 * anything else is an `UnsupportedExpression`, and the form version falls back to the ODK engine.
 */

export type Ast =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'bin'; op: BinaryOp; l: Ast; r: Ast }
  | { k: 'neg'; e: Ast }
  | { k: 'union'; l: Ast; r: Ast }
  | { k: 'fn'; name: string; args: Ast[] }
  | { k: 'filter'; e: Ast; preds: Ast[] }
  | { k: 'path'; start: 'root' | 'context' | Ast; steps: Step[] };

export type BinaryOp = 'or' | 'and' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | 'div' | 'mod';

export type Axis = 'child' | 'attribute' | 'self' | 'parent' | 'descendant-or-self';
export type NodeTest = { kind: 'name'; name: string } | { kind: 'any' } | { kind: 'node' } | { kind: 'text' };
export interface Step {
  axis: Axis;
  test: NodeTest;
  preds: Ast[];
}

/** The expression uses XPath the compiled validator does not evaluate. */
export class UnsupportedExpression extends Error {
  constructor(
    readonly expression: string,
    why: string,
  ) {
    super(`${why} in "${expression}"`);
    this.name = 'UnsupportedExpression';
  }
}

type Token = { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 'name'; v: string } | { t: 'op'; v: string };

const OPERATORS = [
  '//',
  '!=',
  '<=',
  '>=',
  '::',
  '..',
  '/',
  '(',
  ')',
  '[',
  ']',
  '.',
  '@',
  ',',
  '|',
  '+',
  '-',
  '=',
  '<',
  '>',
  '*',
  '$',
];
const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/;
const NUMBER = /^(\d+(\.\d*)?|\.\d+)/;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    if (ch === "'" || ch === '"') {
      const end = src.indexOf(ch, i + 1);
      if (end < 0) throw new UnsupportedExpression(src, 'an unterminated string');
      out.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num !== null && !(ch === '.' && rest[1] === '.')) {
      out.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name !== null) {
      // `a:*` (a namespace wildcard) is not supported; `a::b` is an axis, not a prefix.
      let v = name[0];
      if (v.includes(':') && src.slice(i + v.indexOf(':'), i + v.indexOf(':') + 2) === '::')
        v = v.slice(0, v.indexOf(':'));
      out.push({ t: 'name', v });
      i += v.length;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (op === undefined) throw new UnsupportedExpression(src, `the character "${ch}"`);
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  return out;
}

/** XPath's rule: after these, `*` and `and`/`or`/`div`/`mod` are names; after anything else, operators. */
function precedesOperand(prev: Token | undefined): boolean {
  if (prev === undefined) return true;
  if (prev.t === 'op') return !(prev.v === ')' || prev.v === ']' || prev.v === '.' || prev.v === '..');
  return false;
}

const NODE_TYPES = new Set(['node', 'text', 'comment', 'processing-instruction']);
const AXES: Record<string, Axis> = {
  child: 'child',
  attribute: 'attribute',
  self: 'self',
  parent: 'parent',
  'descendant-or-self': 'descendant-or-self',
};

/** Parses one expression; throws UnsupportedExpression for what it does not cover. */
export function parseXPath(src: string): Ast {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (v: string): boolean => {
    const t = tokens[pos];
    return t !== undefined && t.t === 'op' && t.v === v;
  };
  const isOperatorName = (v: string): boolean => {
    const t = tokens[pos];
    return t !== undefined && t.t === 'name' && t.v === v && !precedesOperand(tokens[pos - 1]);
  };
  const expect = (v: string): void => {
    if (!isOp(v)) throw new UnsupportedExpression(src, `"${v}" expected`);
    pos++;
  };
  const fail = (why: string): never => {
    throw new UnsupportedExpression(src, why);
  };

  const binary = (next: () => Ast, ops: string[], named: boolean): Ast => {
    let left = next();
    for (;;) {
      const t = peek();
      const op =
        t === undefined
          ? undefined
          : named
            ? ops.find((o) => isOperatorName(o))
            : t.t === 'op'
              ? ops.find((o) => o === t.v && !(o === '*' && precedesOperand(tokens[pos - 1])))
              : ops.find((o) => isOperatorName(o));
      if (op === undefined) return left;
      pos++;
      left = { k: 'bin', op: op as BinaryOp, l: left, r: next() };
    }
  };
  const orExpr = (): Ast => binary(andExpr, ['or'], true);
  const andExpr = (): Ast => binary(equality, ['and'], true);
  const equality = (): Ast => binary(relational, ['=', '!='], false);
  const relational = (): Ast => binary(additive, ['<=', '>=', '<', '>'], false);
  const additive = (): Ast => binary(multiplicative, ['+', '-'], false);
  const multiplicative = (): Ast => binary(unary, ['*', 'div', 'mod'], false);
  const unary = (): Ast => {
    if (isOp('-')) {
      pos++;
      return { k: 'neg', e: unary() };
    }
    return union();
  };
  const union = (): Ast => {
    let left = pathExpr();
    while (isOp('|')) {
      pos++;
      left = { k: 'union', l: left, r: pathExpr() };
    }
    return left;
  };
  const predicates = (): Ast[] => {
    const preds: Ast[] = [];
    while (isOp('[')) {
      pos++;
      preds.push(orExpr());
      expect(']');
    }
    return preds;
  };
  const primary = (): Ast | null => {
    const t = peek();
    if (t === undefined) return fail('an incomplete expression');
    if (t.t === 'num') {
      pos++;
      return { k: 'num', v: t.v };
    }
    if (t.t === 'str') {
      pos++;
      return { k: 'str', v: t.v };
    }
    if (t.t === 'op' && t.v === '(') {
      pos++;
      const e = orExpr();
      expect(')');
      return e;
    }
    if (t.t === 'op' && t.v === '$') fail('a variable');
    const next = tokens[pos + 1];
    if (t.t === 'name' && next?.t === 'op' && next.v === '(' && !NODE_TYPES.has(t.v)) {
      pos += 2;
      const args: Ast[] = [];
      if (!isOp(')')) {
        args.push(orExpr());
        while (isOp(',')) {
          pos++;
          args.push(orExpr());
        }
      }
      expect(')');
      return { k: 'fn', name: t.v, args };
    }
    return null;
  };
  const step = (): Step => {
    if (isOp('.')) {
      pos++;
      return { axis: 'self', test: { kind: 'node' }, preds: [] };
    }
    if (isOp('..')) {
      pos++;
      return { axis: 'parent', test: { kind: 'node' }, preds: [] };
    }
    let axis: Axis = 'child';
    if (isOp('@')) {
      pos++;
      axis = 'attribute';
    } else {
      const t = peek();
      const next = tokens[pos + 1];
      if (t?.t === 'name' && next?.t === 'op' && next.v === '::') {
        const named = AXES[t.v];
        if (named === undefined) fail(`the ${t.v} axis`);
        axis = named as Axis;
        pos += 2;
      }
    }
    const t = peek();
    let test: NodeTest;
    if (t?.t === 'op' && t.v === '*') {
      pos++;
      test = { kind: 'any' };
    } else if (t?.t === 'name') {
      pos++;
      if (NODE_TYPES.has(t.v) && isOp('(')) {
        pos++;
        expect(')');
        if (t.v !== 'node' && t.v !== 'text') fail(`${t.v}()`);
        test = { kind: t.v as 'node' | 'text' };
      } else {
        test = { kind: 'name', name: t.v };
      }
    } else {
      return fail('a location step expected');
    }
    return { axis, test, preds: predicates() };
  };
  const relativeSteps = (steps: Step[]): Step[] => {
    steps.push(step());
    for (;;) {
      if (isOp('/')) {
        pos++;
        steps.push(step());
      } else if (isOp('//')) {
        pos++;
        steps.push({ axis: 'descendant-or-self', test: { kind: 'node' }, preds: [] }, step());
      } else {
        return steps;
      }
    }
  };
  const startsStep = (): boolean => {
    const t = peek();
    if (t === undefined) return false;
    if (t.t === 'name') return true;
    return t.t === 'op' && ['.', '..', '@', '*'].includes(t.v);
  };
  const pathExpr = (): Ast => {
    if (isOp('/')) {
      pos++;
      return { k: 'path', start: 'root', steps: startsStep() ? relativeSteps([]) : [] };
    }
    if (isOp('//')) {
      pos++;
      return {
        k: 'path',
        start: 'root',
        steps: relativeSteps([{ axis: 'descendant-or-self', test: { kind: 'node' }, preds: [] }]),
      };
    }
    const prim = primary();
    if (prim === null) return { k: 'path', start: 'context', steps: relativeSteps([]) };
    const preds = predicates();
    const filtered: Ast = preds.length > 0 ? { k: 'filter', e: prim, preds } : prim;
    if (isOp('/') || isOp('//')) {
      const steps: Step[] = [];
      if (isOp('//')) steps.push({ axis: 'descendant-or-self', test: { kind: 'node' }, preds: [] });
      pos++;
      return { k: 'path', start: filtered, steps: relativeSteps(steps) };
    }
    return filtered;
  };

  const ast = orExpr();
  if (pos < tokens.length) fail('unexpected text after the expression');
  return ast;
}
