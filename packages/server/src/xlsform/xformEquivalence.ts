import { attribute, elementChildren, parseXml, textContent, type XmlNode } from '@outpost/core';

/**
 * Compares two XForms the way the conformance suite defines equivalence: same primary instance tree,
 * binds, body controls, secondary instances and translations. Attribute order, whitespace and
 * namespace prefixes are ignored; binds, itext and secondary instances are compared as sets keyed
 * by nodeset / lang+id / id, since their order carries no meaning.
 * Returns null when equivalent, otherwise the first difference in words.
 */
export function xformDifference(expectedXml: string, actualXml: string): string | null {
  const expected = canonical(expectedXml);
  const actual = canonical(actualXml);
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const e = expected.get(key);
    const a = actual.get(key);
    if (e === undefined) return `${key}: only in the compiled form:\n  ${a}`;
    if (a === undefined) return `${key}: missing from the compiled form; pyxform has:\n  ${e}`;
    if (e !== a) return `${key} differs:\n  expected ${e}\n  actual   ${a}`;
  }
  return null;
}

const XF = 'http://www.w3.org/2002/xforms';
const XHTML = 'http://www.w3.org/1999/xhtml';
const ws = (s: string): string => s.replace(/\s+/g, ' ').trim();

function describeNode(el: XmlNode, skip: (child: XmlNode) => boolean = () => false): string {
  const attrs = el.attributes
    .map((a) => `${a.namespace ? `{${a.namespace}}` : ''}${a.localName}=${JSON.stringify(ws(a.value))}`)
    .sort()
    .join(' ');
  const parts: string[] = [];
  for (const child of el.children) {
    if (typeof child === 'string') {
      const t = ws(child);
      if (t) parts.push(JSON.stringify(t));
    } else if (!skip(child)) parts.push(describeNode(child, skip));
  }
  return `<${el.localName}${attrs ? ` ${attrs}` : ''}>${parts.join('')}</>`;
}

function find(node: XmlNode, namespace: string, localName: string): XmlNode | undefined {
  if (node.namespace === namespace && node.localName === localName) return node;
  for (const child of elementChildren(node)) {
    const hit = find(child, namespace, localName);
    if (hit) return hit;
  }
  return undefined;
}

function canonical(xml: string): Map<string, string> {
  const doc = parseXml(xml);
  const out = new Map<string, string>();
  const model = find(doc, XF, 'model');
  if (!model) throw new Error('no <model>');
  const title = find(doc, XHTML, 'title');
  out.set('title', ws(title ? textContent(title) : ''));
  let primarySeen = false;
  for (const child of elementChildren(model)) {
    if (child.localName === 'instance') {
      const id = attribute(child, 'id');
      if (!id && !primarySeen) {
        primarySeen = true;
        const rootEl = elementChildren(child)[0];
        if (rootEl) walkInstance(rootEl, `instance ${rootEl.localName}`, out);
      } else if (id) {
        const root = elementChildren(child)[0];
        const src = attribute(child, 'src');
        const items = root
          ? elementChildren(root).map((item) =>
              elementChildren(item)
                .map((c) => `${c.localName}=${JSON.stringify(ws(textContent(c)))}`)
                .sort()
                .join(' '),
            )
          : [];
        out.set(`secondary instance "${id}"`, `${src ? `src=${src} ` : ''}${items.join(' | ')}`);
      }
    } else if (child.localName === 'bind') {
      out.set(`bind ${attribute(child, 'nodeset')}`, describeNode(child));
    } else if (child.localName === 'itext') {
      for (const translation of elementChildren(child)) {
        const lang = attribute(translation, 'lang');
        if (attribute(translation, 'default')) out.set('default language', lang ?? '');
        for (const text of elementChildren(translation)) {
          const values = elementChildren(text)
            .map((v) => describeNode(v))
            .sort()
            .join('');
          out.set(`itext ${lang} ${attribute(text, 'id')}`, values);
        }
      }
    } else {
      out.set(`model ${child.localName} ${attribute(child, 'ref') ?? ''}`, describeNode(child));
    }
  }
  const body = find(doc, XHTML, 'body');
  if (body) walkBody(body, 'body', out);
  return out;
}

function walkInstance(el: XmlNode, where: string, out: Map<string, string>): void {
  // One entry per element, so a difference names the field.
  out.set(
    where,
    describeNode(el, () => true),
  );
  out.set(
    `${where} children`,
    elementChildren(el)
      .map((c) => c.localName)
      .join(','),
  );
  const counts = new Map<string, number>();
  for (const child of elementChildren(el)) {
    const n = (counts.get(child.localName) ?? 0) + 1;
    counts.set(child.localName, n);
    walkInstance(child, `${where}/${child.localName}${n > 1 ? `[${n}]` : ''}`, out);
  }
}

const CONTROLS = new Set([
  'input',
  'select1',
  'select',
  'rank',
  'upload',
  'trigger',
  'range',
  'group',
  'repeat',
  'setvalue',
]);

function walkBody(el: XmlNode, where: string, out: Map<string, string>): void {
  const sequence: string[] = [];
  let index = 0;
  for (const child of elementChildren(el)) {
    if (!CONTROLS.has(child.localName)) continue;
    index++;
    const ref = attribute(child, 'ref') ?? attribute(child, 'nodeset') ?? `#${index}`;
    const key = `${where} > ${child.localName}[${ref}]`;
    sequence.push(`${child.localName}[${ref}]`);
    out.set(
      key,
      describeNode(child, (c) => CONTROLS.has(c.localName)),
    );
    walkBody(child, key, out);
  }
  out.set(`${where} controls in order`, sequence.join(', '));
}
