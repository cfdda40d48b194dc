/**
 * A small namespace-aware XML reader for comparing XForms in tests and tools: elements, attributes,
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
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return ENTITIES[ref] ?? whole;
  });
}

export function parseXml(xml: string): XmlNode {
  let pos = 0;
  const fail = (why: string): never => {
    const line = xml.slice(0, pos).split('\n').length;
    throw new Error(`not well-formed XML at line ${line}: ${why}`);
  };
  const skipMisc = (): void => {
    for (;;) {
      const m = /^\s*(<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)?/.exec(xml.slice(pos));
      if (!m || m[0] === '') return;
      pos += m[0].length;
      if (!m[1]) return;
    }
  };
  const element = (scope: Map<string, string>): XmlNode => {
    const open = /^<([A-Za-z_][\w.-]*(?::[\w.-]+)?)/.exec(xml.slice(pos));
    if (!open) return fail('expected an element');
    pos += open[0].length;
    const raw: Array<[string, string]> = [];
    for (;;) {
      const attr = /^\s+([A-Za-z_][\w.-]*(?::[\w.-]+)?)\s*=\s*("([^"]*)"|'([^']*)')/.exec(xml.slice(pos));
      if (!attr) break;
      raw.push([attr[1] as string, decode(attr[3] ?? attr[4] ?? '')]);
      pos += attr[0].length;
    }
    const end = /^\s*(\/?)>/.exec(xml.slice(pos));
    if (!end) return fail(`unterminated start tag <${open[1]}>`);
    pos += end[0].length;
    const inner = new Map(scope);
    for (const [name, value] of raw) {
      if (name === 'xmlns') inner.set('', value);
      else if (name.startsWith('xmlns:')) inner.set(name.slice(6), value);
    }
    const split = (qname: string, isAttribute: boolean): [string, string] => {
      const i = qname.indexOf(':');
      if (i < 0) return [isAttribute ? '' : (inner.get('') ?? ''), qname];
      const prefix = qname.slice(0, i);
      const ns = inner.get(prefix);
      if (ns === undefined) return fail(`undeclared prefix "${prefix}"`);
      return [ns, qname.slice(i + 1)];
    };
    const [namespace, localName] = split(open[1] as string, false);
    const node: XmlNode = {
      namespace,
      localName,
      attributes: raw
        .filter(([n]) => n !== 'xmlns' && !n.startsWith('xmlns:'))
        .map(([n, value]) => {
          const [ns, local] = split(n, true);
          return { namespace: ns, localName: local, value };
        }),
      children: [],
    };
    if (end[1] === '/') return node;
    for (;;) {
      const rest = xml.slice(pos);
      if (rest.startsWith('</')) {
        const close = /^<\/([^\s>]+)\s*>/.exec(rest);
        if (!close || close[1] !== open[1]) return fail(`expected </${open[1]}>`);
        pos += close[0].length;
        return node;
      }
      if (rest.startsWith('<!--')) {
        const e = rest.indexOf('-->');
        if (e < 0) return fail('unterminated comment');
        pos += e + 3;
      } else if (rest.startsWith('<![CDATA[')) {
        const e = rest.indexOf(']]>');
        if (e < 0) return fail('unterminated CDATA');
        node.children.push(rest.slice(9, e));
        pos += e + 3;
      } else if (rest.startsWith('<?')) {
        const e = rest.indexOf('?>');
        pos += e + 2;
      } else if (rest.startsWith('<')) {
        node.children.push(element(inner));
      } else if (rest === '') {
        return fail(`<${open[1]}> is never closed`);
      } else {
        const e = rest.indexOf('<');
        node.children.push(decode(e < 0 ? rest : rest.slice(0, e)));
        pos += e < 0 ? rest.length : e;
      }
    }
  };
  skipMisc();
  // The `xml` prefix is bound by the XML namespaces spec itself (xml:lang, xml:space).
  const root = element(new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]));
  skipMisc();
  if (pos < xml.length) fail('content after the root element');
  return root;
}

export function elementChildren(node: XmlNode): XmlNode[] {
  return node.children.filter((c): c is XmlNode => typeof c !== 'string');
}

export function attribute(node: XmlNode, localName: string): string | null {
  return node.attributes.find((a) => a.localName === localName && a.namespace === '')?.value ?? null;
}

export function textContent(node: XmlNode): string {
  return node.children.map((c) => (typeof c === 'string' ? c : textContent(c))).join('');
}
