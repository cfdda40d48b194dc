/**
 * The XPath 1.0 and ODK XForms functions the compiled validator evaluates, with the ODK engine's
 * meaning (https://getodk.github.io/xforms-spec/#xpath-functions). A function not listed here makes
 * the expression unsupported (see `supportedFunctions`), and its form version is validated by the
 * engine. Functions whose result changes between runs (`uuid`, `random`, `once`) are not listed.
 */
import type { Compiled, Context, Value, XNode } from './xpathEvaluate.js';
import { dateMillis, numberToString, stringValue, toBoolean, toNumber, toString } from './xpathEvaluate.js';

/** A function's meaning, given its arguments compiled (each evaluated only when the function asks). */
type Impl = (args: Compiled[], ctx: Context) => Value;

const str = (a: Compiled | undefined, ctx: Context): string => (a === undefined ? '' : toString(a(ctx), ctx.env));
const num = (a: Compiled | undefined, ctx: Context): number =>
  a === undefined ? Number.NaN : toNumber(a(ctx), ctx.env);
const nodeSet = (a: Compiled | undefined, ctx: Context): XNode[] => {
  const v = a === undefined ? [] : a(ctx);
  if (!Array.isArray(v)) throw new TypeError('a node-set was expected');
  return v;
};
const words = (s: string): string[] => s.split(/\s+/).filter((w) => w !== '');
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function offset(d: Date): string {
  const minutes = -d.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function localDateTime(ms: number): string {
  const d = new Date(ms);
  return `${localDate(ms)}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}${offset(d)}`;
}

/** A value as a point in time: a date or date-time text, or days since the epoch. */
function instant(value: Value, ctx: Context): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value * 86_400_000 : null;
  const text = toString(value, ctx.env);
  if (/^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text) * 86_400_000;
  return dateMillis(text);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function formatDate(ms: number, format: string): string {
  const d = new Date(ms);
  return format.replace(/%(.)/g, (whole, c: string) => {
    switch (c) {
      case 'Y':
        return String(d.getFullYear());
      case 'y':
        return pad(d.getFullYear() % 100);
      case 'm':
        return pad(d.getMonth() + 1);
      case 'n':
        return String(d.getMonth() + 1);
      case 'b':
        return MONTHS[d.getMonth()] as string;
      case 'd':
        return pad(d.getDate());
      case 'e':
        return String(d.getDate());
      case 'H':
        return pad(d.getHours());
      case 'h':
        return String(d.getHours());
      case 'M':
        return pad(d.getMinutes());
      case 'S':
        return pad(d.getSeconds());
      case '3':
        return pad(d.getMilliseconds(), 3);
      case 'a':
        return DAYS[d.getDay()] as string;
      default:
        return whole;
    }
  });
}

const regexCache = new Map<string, RegExp | null>();
function regex(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern);
    } catch {
      re = null;
    }
    regexCache.set(pattern, re);
  }
  return re;
}

function roundTo(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  const scaled = x * f;
  const r = Math.sign(scaled) * Math.round(Math.abs(scaled));
  return r / f;
}

const functions: Record<string, Impl> = {
  true: () => true,
  false: () => false,
  not: (a, c) => !toBoolean((a[0] as Compiled)(c)),
  boolean: (a, c) => toBoolean((a[0] as Compiled)(c)),
  'boolean-from-string': (a, c) => ['true', '1'].includes(str(a[0], c)),
  string: (a, c) => (a.length === 0 ? stringValue(c.node, c.env) : str(a[0], c)),
  number: (a, c) => (a.length === 0 ? toNumber([c.node], c.env) : num(a[0], c)),
  int: (a, c) => Math.trunc(num(a[0], c)),
  round: (a, c) => roundTo(num(a[0], c), a.length > 1 ? num(a[1], c) : 0),
  floor: (a, c) => Math.floor(num(a[0], c)),
  ceiling: (a, c) => Math.ceil(num(a[0], c)),
  abs: (a, c) => Math.abs(num(a[0], c)),
  pow: (a, c) => num(a[0], c) ** num(a[1], c),
  count: (a, c) => nodeSet(a[0], c).length,
  sum: (a, c) => nodeSet(a[0], c).reduce((s, n) => s + toNumber([n], c.env), 0),
  max: (a, c) => {
    const ns = a.flatMap((x) => nodeSet(x, c).map((n) => toNumber([n], c.env)));
    return ns.length === 0 ? Number.NaN : Math.max(...ns);
  },
  min: (a, c) => {
    const ns = a.flatMap((x) => nodeSet(x, c).map((n) => toNumber([n], c.env)));
    return ns.length === 0 ? Number.NaN : Math.min(...ns);
  },
  position: (_a, c) => c.position,
  last: (_a, c) => c.size,
  current: (_a, c) => [c.current],
  instance: (a, c) => {
    const id = str(a[0], c);
    const doc = c.env.instance(id);
    if (doc === null) throw new TypeError(`the form has no instance "${id}"`);
    return [doc];
  },
  concat: (a, c) => a.map((x) => str(x, c)).join(''),
  'string-length': (a, c) => [...(a.length === 0 ? stringValue(c.node, c.env) : str(a[0], c))].length,
  'normalize-space': (a, c) => words(a.length === 0 ? stringValue(c.node, c.env) : str(a[0], c)).join(' '),
  contains: (a, c) => str(a[0], c).includes(str(a[1], c)),
  'starts-with': (a, c) => str(a[0], c).startsWith(str(a[1], c)),
  'ends-with': (a, c) => str(a[0], c).endsWith(str(a[1], c)),
  translate: (a, c) => {
    const from = [...str(a[1], c)];
    const to = [...str(a[2], c)];
    return [...str(a[0], c)]
      .map((ch) => {
        const i = from.indexOf(ch);
        return i < 0 ? ch : (to[i] ?? '');
      })
      .join('');
  },
  substr: (a, c) => {
    const chars = [...str(a[0], c)];
    const start = num(a[1], c);
    const end = a.length > 2 ? num(a[2], c) : chars.length;
    return chars.slice(start, end).join('');
  },
  regex: (a, c) => regex(str(a[1], c))?.test(str(a[0], c)) ?? false,
  if: (a, c) => (toBoolean((a[0] as Compiled)(c)) ? (a[1] as Compiled)(c) : (a[2] as Compiled)(c)),
  coalesce: (a, c) => {
    const first = str(a[0], c);
    return first !== '' ? first : str(a[1], c);
  },
  selected: (a, c) => words(str(a[0], c)).includes(str(a[1], c).trim()),
  'count-selected': (a, c) => words(str(a[0], c)).length,
  'selected-at': (a, c) => words(str(a[0], c))[num(a[1], c)] ?? '',
  join: (a, c) => {
    const sep = str(a[0], c);
    return a
      .slice(1)
      .flatMap((x) => {
        const v = x(c);
        return Array.isArray(v) ? v.map((n) => stringValue(n, c.env)) : [toString(v, c.env)];
      })
      .join(sep);
  },
  today: () => localDate(Date.now()),
  now: () => localDateTime(Date.now()),
  date: (a, c) => {
    const ms = instant((a[0] as Compiled)(c), c);
    return ms === null ? '' : localDate(ms);
  },
  'decimal-date-time': (a, c) => {
    const ms = instant((a[0] as Compiled)(c), c);
    return ms === null ? Number.NaN : ms / 86_400_000;
  },
  'format-date': (a, c) => {
    const ms = instant((a[0] as Compiled)(c), c);
    return ms === null ? '' : formatDate(ms, str(a[1], c));
  },
  'format-date-time': (a, c) => {
    const ms = instant((a[0] as Compiled)(c), c);
    return ms === null ? '' : formatDate(ms, str(a[1], c));
  },
};

/** Names the compiled validator evaluates. */
export const supportedFunctions: ReadonlySet<string> = new Set(Object.keys(functions));

/** A call compiled once: its function looked up, its arguments compiled (an unknown name fails when called). */
export function compileCall(name: string, args: Compiled[]): Compiled {
  const impl = Object.hasOwn(functions, name) ? functions[name] : undefined;
  if (impl === undefined) {
    return () => {
      throw new TypeError(`${name}() is not supported`);
    };
  }
  return (ctx) => impl(args, ctx);
}

export { numberToString };
