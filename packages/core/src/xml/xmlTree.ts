/**
 * A small namespace-aware XML reader (XForms, submitted instances, their entity blocks): elements, attributes,
 * text, CDATA and the five predefined entities plus numeric references. No DTDs.
 */
export interface XmlNode {
  namespace: string;
  localName: string;
  attributes: Array<{ namespace: string; localName: string; value: string }>;
  children: Array<XmlNode | string>;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  // Most text and attribute values hold no reference: nothing to replace.
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return ENTITIES[ref] ?? whole;
  });
}

/** Bounds on what parseXml builds; reaching one stops the parse (XmlLimitError). */
export interface XmlLimits {
  /** Elements in the whole document. */
  maxElements?: number;
  /** Elements open inside one another. */
  maxDepth?: number;
}

/** The document is well-formed as far as it was read, but larger than the caller's limits. */
export class XmlLimitError extends Error {
  constructor(
    readonly limit: 'elements' | 'depth',
    readonly value: number,
  ) {
    super(limit === 'elements' ? `more than ${value} elements` : `elements nested deeper than ${value}`);
    this.name = 'XmlLimitError';
  }
}

// Sticky patterns, matched at `lastIndex`: each step reads forward from the cursor and never copies
// the rest of the document, so parsing is linear in its length.
const MISC = /\s*(<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)?/y;
const OPEN = /<([A-Za-z_][\w.-]*(?::[\w.-]+)?)/y;
const ATTRIBUTE = /\s+([A-Za-z_][\w.-]*(?::[\w.-]+)?)\s*=\s*("([^"]*)"|'([^']*)')/y;
const START_END = /\s*(\/?)>/y;
const CLOSE = /<\/([^\s>]+)\s*>/y;

function at(pattern: RegExp, xml: string, pos: number): RegExpExecArray | null {
  pattern.lastIndex = pos;
  return pattern.exec(xml);
}

/** Parses an XML document into a tree, in time linear in its length, within `limits`. */
export function parseXml(xml: string, limits: XmlLimits = {}): XmlNode {
  const maxElements = limits.maxElements ?? Number.POSITIVE_INFINITY;
  const maxDepth = limits.maxDepth ?? 256;
  let pos = 0;
  let elements = 0;
  const fail = (why: string): never => {
    const line = xml.slice(0, pos).split('\n').length;
    throw new Error(`not well-formed XML at line ${line}: ${why}`);
  };
  const split = (qname: string, isAttribute: boolean, scope: Map<string, string>): [string, string] => {
    const i = qname.indexOf(':');
    if (i < 0) return [isAttribute ? '' : (scope.get('') ?? ''), qname];
    const prefix = qname.slice(0, i);
    const ns = scope.get(prefix);
    if (ns === undefined) return fail(`undeclared prefix "${prefix}"`);
    return [ns, qname.slice(i + 1)];
  };
  const skipMisc = (): void => {
    for (;;) {
      const m = at(MISC, xml, pos);
      if (!m || m[0] === '') return;
      pos += m[0].length;
      if (!m[1]) return;
    }
  };
  const element = (scope: Map<string, string>, depth: number): XmlNode => {
    if (depth > maxDepth) throw new XmlLimitError('depth', maxDepth);
    elements += 1;
    if (elements > maxElements) throw new XmlLimitError('elements', maxElements);
    const open = at(OPEN, xml, pos);
    if (!open) return fail('expected an element');
    pos += open[0].length;
    const raw: Array<[string, string]> = [];
    for (;;) {
      const attr = at(ATTRIBUTE, xml, pos);
      if (!attr) break;
      raw.push([attr[1] as string, decode(attr[3] ?? attr[4] ?? '')]);
      pos += attr[0].length;
    }
    const end = at(START_END, xml, pos);
    if (!end) return fail(`unterminated start tag <${open[1]}>`);
    pos += end[0].length;
    let inner = scope;
    for (const [name, value] of raw) {
      if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
      if (inner === scope) inner = new Map(scope);
      inner.set(name === 'xmlns' ? '' : name.slice(6), value);
    }
    const [namespace, localName] = split(open[1] as string, false, inner);
    const attributes: XmlNode['attributes'] = [];
    for (const [n, value] of raw) {
      if (n === 'xmlns' || n.startsWith('xmlns:')) continue;
      const [ns, local] = split(n, true, inner);
      attributes.push({ namespace: ns, localName: local, value });
    }
    const node: XmlNode = { namespace, localName, attributes, children: [] };
    if (end[1] === '/') return node;
    for (;;) {
      if (xml.startsWith('</', pos)) {
        const close = at(CLOSE, xml, pos);
        if (!close || close[1] !== open[1]) return fail(`expected </${open[1]}>`);
        pos += close[0].length;
        return node;
      }
      if (xml.startsWith('<!--', pos)) {
        const e = xml.indexOf('-->', pos);
        if (e < 0) return fail('unterminated comment');
        pos = e + 3;
      } else if (xml.startsWith('<![CDATA[', pos)) {
        const e = xml.indexOf(']]>', pos);
        if (e < 0) return fail('unterminated CDATA');
        node.children.push(xml.slice(pos + 9, e));
        pos = e + 3;
      } else if (xml.startsWith('<?', pos)) {
        const e = xml.indexOf('?>', pos);
        if (e < 0) return fail('unterminated processing instruction');
        pos = e + 2;
      } else if (xml.startsWith('<', pos)) {
        node.children.push(element(inner, depth + 1));
      } else if (pos >= xml.length) {
        return fail(`<${open[1]}> is never closed`);
      } else {
        const e = xml.indexOf('<', pos);
        node.children.push(decode(e < 0 ? xml.slice(pos) : xml.slice(pos, e)));
        pos = e < 0 ? xml.length : e;
      }
    }
  };
  skipMisc();
  // The `xml` prefix is bound by the XML namespaces spec itself (xml:lang, xml:space).
  const root = element(new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]), 1);
  skipMisc();
  if (pos < xml.length) fail('content after the root element');
  return root;
}

export function elementChildren(node: XmlNode): XmlNode[] {
  return node.children.filter((c): c is XmlNode => typeof c !== 'string');
}

/** How many of the elements carry each name: one pass, so sibling checks stay linear. */
export function countByName(nodes: readonly XmlNode[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of nodes) counts.set(n.localName, (counts.get(n.localName) ?? 0) + 1);
  return counts;
}

export function attribute(node: XmlNode, localName: string): string | null {
  return node.attributes.find((a) => a.localName === localName && a.namespace === '')?.value ?? null;
}

export function textContent(node: XmlNode): string {
  return node.children.map((c) => (typeof c === 'string' ? c : textContent(c))).join('');
}

/** The element's own text (its direct text children, trimmed), as ODK reads an answer. */
export function ownText(node: XmlNode): string {
  return node.children
    .filter((c): c is string => typeof c === 'string')
    .join('')
    .trim();
}

/** The first element at an absolute instance path (`/data/head/name`), ignoring repeat positions. */
export function findAtPath(root: XmlNode, path: string): XmlNode | undefined {
  const steps = path.split('/').filter((s) => s !== '');
  if (steps[0] !== root.localName) return undefined;
  let node: XmlNode | undefined = root;
  for (const step of steps.slice(1)) {
    node = node === undefined ? undefined : elementChildren(node).find((c) => c.localName === step);
    if (node === undefined) return undefined;
  }
  return node;
}
