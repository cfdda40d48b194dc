/**
 * An XPath 1.0 syntax check (no evaluation). pyxform leaves this to ODK Validate; doing it here
 * lets us point at the cell instead of failing later on a device.
 */
type Token =
  | { kind: 'name'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'literal'; text: string }
  | { kind: 'op'; text: string }
  | { kind: 'var'; text: string };

const NAME_START = /[A-Za-z_\u00C0-\uFFFF]/;
const NAME_CHAR = /[A-Za-z0-9_.\-\u00B7\u00C0-\uFFFF]/;
const NODE_TYPES = new Set(['node', 'text', 'comment', 'processing-instruction']);

export class XPathSyntaxError extends Error {}

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  // XPath 1.0 §3.7: after anything but these, "*" multiplies and and/or/div/mod are operators.
  const NOT_OPERAND_END = new Set([
    '@',
    '::',
    '(',
    '[',
    ',',
    '/',
    '//',
    '|',
    '+',
    '-',
    '=',
    '!=',
    '<',
    '<=',
    '>',
    '>=',
    'and',
    'or',
    'mod',
    'div',
    '*mul',
  ]);
  const precedingAllowsOperator = (): boolean => {
    const prev = tokens[tokens.length - 1];
    if (!prev) return false;
    return !(prev.kind === 'op' && NOT_OPERAND_END.has(prev.text));
  };
  while (i < expr.length) {
    const ch = expr[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const end = expr.indexOf(ch, i + 1);
      if (end < 0)
        throw new XPathSyntaxError(`the text starting at ${expr.slice(i, i + 20)} has no closing quote (${ch})`);
      tokens.push({ kind: 'literal', text: expr.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(expr[i + 1] ?? ''))) {
      const m = /^[0-9]*\.?[0-9]*/.exec(expr.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'number', text: m[0] });
      i += m[0].length;
      continue;
    }
    const two = expr.slice(i, i + 2);
    if (['!=', '<=', '>=', '//', '::', '..'].includes(two)) {
      tokens.push({ kind: 'op', text: two });
      i += 2;
      continue;
    }
    if ('()[]@,|+-=<>/.'.includes(ch)) {
      tokens.push({ kind: 'op', text: ch });
      i++;
      continue;
    }
    if (ch === '*') {
      tokens.push({ kind: 'op', text: precedingAllowsOperator() ? '*mul' : '*' });
      i++;
      continue;
    }
    if (ch === '$') {
      const m = /^\$[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?/.exec(expr.slice(i));
      if (!m) throw new XPathSyntaxError(`"$" must start a variable name`);
      tokens.push({ kind: 'var', text: m[0] });
      i += m[0].length;
      continue;
    }
    if (NAME_START.test(ch)) {
      let j = i + 1;
      while (j < expr.length && NAME_CHAR.test(expr[j] as string)) j++;
      // QName prefix (jr:choice-name) or prefix:* — but not the axis separator "::".
      if (expr[j] === ':' && expr[j + 1] !== ':') {
        if (expr[j + 1] === '*') j += 2;
        else if (NAME_START.test(expr[j + 1] ?? '')) {
          j += 1;
          while (j < expr.length && NAME_CHAR.test(expr[j] as string)) j++;
        }
      }
      let text = expr.slice(i, j);
      const operatorContext = precedingAllowsOperator();
      // ODK's engine reads "or." in "(. = -999 or. > 0)" as the operator and the context node.
      const glued = operatorContext ? /^(and|or|div|mod)(?=[.\d])/.exec(text) : null;
      if (glued) {
        text = glued[1] as string;
        j = i + text.length;
      }
      if (operatorContext && ['and', 'or', 'div', 'mod'].includes(text)) tokens.push({ kind: 'op', text });
      else tokens.push({ kind: 'name', text });
      i = j;
      continue;
    }
    throw new XPathSyntaxError(`unexpected character "${ch}"`);
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): void {
    if (this.tokens.length === 0) throw new XPathSyntaxError('the expression is empty');
    this.expr();
    const rest = this.peek();
    if (rest) throw new XPathSyntaxError(`unexpected ${describe(rest)} after a complete expression`);
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }
  private isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'op' && t.text === text;
  }
  private expect(text: string): void {
    if (!this.isOp(text)) {
      const t = this.peek();
      throw new XPathSyntaxError(`expected "${text}" but found ${t ? describe(t) : 'the end of the expression'}`);
    }
    this.pos++;
  }

  private expr(): void {
    this.binary(0);
  }

  private static readonly LEVELS = [
    ['or'],
    ['and'],
    ['=', '!='],
    ['<', '>', '<=', '>='],
    ['+', '-'],
    ['*mul', 'div', 'mod'],
  ];

  private binary(level: number): void {
    if (level >= Parser.LEVELS.length) return this.unary();
    this.binary(level + 1);
    const ops = Parser.LEVELS[level] as string[];
    while (ops.some((op) => this.isOp(op))) {
      this.pos++;
      this.binary(level + 1);
    }
  }

  private unary(): void {
    while (this.isOp('-')) this.pos++;
    this.pathExpr();
    while (this.isOp('|')) {
      this.pos++;
      this.pathExpr();
    }
  }

  private pathExpr(): void {
    const t = this.peek();
    if (!t) throw new XPathSyntaxError('the expression ends where a value was expected');
    const isFunctionCall = t.kind === 'name' && this.isOp('(', 1) && !NODE_TYPES.has(t.text);
    if (
      t.kind === 'var' ||
      t.kind === 'literal' ||
      t.kind === 'number' ||
      isFunctionCall ||
      (t.kind === 'op' && t.text === '(')
    ) {
      this.primary();
      while (this.isOp('[')) this.predicate();
      if (this.isOp('/') || this.isOp('//')) {
        this.pos++;
        this.relativePath();
      }
      return;
    }
    if (this.isOp('/')) {
      this.pos++;
      if (this.startsStep()) this.relativePath();
      return;
    }
    if (this.isOp('//')) {
      this.pos++;
      this.relativePath();
      return;
    }
    this.relativePath();
  }

  private primary(): void {
    const t = this.peek() as Token;
    if (t.kind === 'op' && t.text === '(') {
      this.pos++;
      this.expr();
      this.expect(')');
      return;
    }
    this.pos++;
    if (t.kind === 'name') {
      this.expect('(');
      if (!this.isOp(')')) {
        this.expr();
        while (this.isOp(',')) {
          this.pos++;
          this.expr();
        }
      }
      this.expect(')');
    }
  }

  private startsStep(): boolean {
    const t = this.peek();
    if (!t) return false;
    if (t.kind === 'name') return true;
    return t.kind === 'op' && ['.', '..', '@', '*'].includes(t.text);
  }

  private relativePath(): void {
    this.step();
    while (this.isOp('/') || this.isOp('//')) {
      this.pos++;
      this.step();
    }
  }

  private step(): void {
    if (this.isOp('.') || this.isOp('..')) {
      this.pos++;
      return;
    }
    if (this.isOp('@')) this.pos++;
    else if (this.peek()?.kind === 'name' && this.isOp('::', 1)) this.pos += 2;
    const t = this.peek();
    if (t?.kind === 'op' && t.text === '*') this.pos++;
    else if (t?.kind === 'name') {
      this.pos++;
      if (NODE_TYPES.has(t.text) && this.isOp('(')) {
        this.pos++;
        if (this.peek()?.kind === 'literal') this.pos++;
        this.expect(')');
      }
    } else {
      throw new XPathSyntaxError(
        `expected a value or a field path but found ${t ? describe(t) : 'the end of the expression'}`,
      );
    }
    while (this.isOp('[')) this.predicate();
  }

  private predicate(): void {
    this.expect('[');
    this.expr();
    this.expect(']');
  }
}

function describe(t: Token): string {
  if (t.kind === 'literal') return `the text '${t.text}'`;
  if (t.kind === 'op') return `"${t.text === '*mul' ? '*' : t.text}"`;
  return `"${t.text}"`;
}

/** Returns null when the expression is valid XPath 1.0, otherwise a plain-words reason. */
export function xpathSyntaxError(expression: string): string | null {
  try {
    new Parser(tokenize(expression)).parse();
    return null;
  } catch (error) {
    if (error instanceof XPathSyntaxError) return error.message;
    throw error;
  }
}
