/**
 * A strict check that text is well-formed, namespace-well-formed XML 1.0 (no DTDs): legal
 * characters, QNames, quoted attributes without duplicates, declared prefixes, matching tags, one
 * root. Returns the first problem in words, or null. One pass, no backtracking over the text.
 */
const NAME_START =
  'A-Za-z_\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
const NCNAME = `[${NAME_START}][${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040]*`;
// XML's NameChar includes the combining marks U+0300–U+036F as a range, which is what is meant here.
// eslint-disable-next-line no-misleading-character-class
const QNAME = new RegExp(`^${NCNAME}(?::${NCNAME})?$`);
const BARE_AMPERSAND = /&(?!(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;
const START_TAG = /<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
const END_TAG = /<\/([^\s>]+)\s*>/y;
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

interface Scope {
  name: string;
  prefixes: Map<string, string>;
}

function badCharacter(text: string): string | null {
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    const ok =
      c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
    if (!ok) return `character U+${c.toString(16).toUpperCase()} is not allowed in XML`;
  }
  return null;
}

export function wellFormedProblem(xml: string): string | null {
  const bad = badCharacter(xml);
  if (bad) return bad;
  const stack: Scope[] = [];
  let pos = /^<\?xml[^?]*\?>/.exec(xml)?.[0].length ?? 0;
  let roots = 0;
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const text = xml.slice(pos, lt < 0 ? xml.length : lt);
    if (stack.length === 0 && text.trim() !== '') return `text outside the root element: "${text.trim().slice(0, 30)}"`;
    if (BARE_AMPERSAND.test(text)) return `a bare "&" in text near "${text.slice(0, 40)}"`;
    if (text.includes(']]>')) return 'the text contains "]]>"';
    if (lt < 0) break;
    pos = lt;
    if (xml.startsWith('<!--', pos)) {
      const end = xml.indexOf('-->', pos);
      if (end < 0) return 'an unterminated comment';
      pos = end + 3;
      continue;
    }
    if (xml.startsWith('</', pos)) {
      END_TAG.lastIndex = pos;
      const close = END_TAG.exec(xml);
      const open = stack.pop();
      if (!close || !open || close[1] !== open.name)
        return `</${close?.[1] ?? '?'}> does not close <${open?.name ?? ''}>`;
      pos = END_TAG.lastIndex;
      continue;
    }
    START_TAG.lastIndex = pos;
    const tag = START_TAG.exec(xml);
    if (!tag) return `a malformed tag near "${xml.slice(pos, pos + 40)}"`;
    if (stack.length === 0 && ++roots > 1) return 'more than one root element';
    const problem = openElement(tag[1] as string, tag[2] as string, stack);
    if (problem) return problem;
    if (tag[3] === '/') stack.pop();
    pos = START_TAG.lastIndex;
  }
  if (stack.length > 0) return `<${(stack[stack.length - 1] as Scope).name}> is never closed`;
  return roots === 1 ? null : 'no root element';
}

function openElement(name: string, attributeText: string, stack: Scope[]): string | null {
  if (!QNAME.test(name)) return `"${name}" is not a valid element name`;
  const prefixes = new Map(stack[stack.length - 1]?.prefixes ?? [['xml', XML_NAMESPACE]]);
  const attributes: string[] = [];
  for (const m of attributeText.matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const [qname, value] = [m[1] as string, m[2] ?? m[3] ?? ''];
    if (!QNAME.test(qname)) return `"${qname}" is not a valid attribute name (on <${name}>)`;
    if (value.includes('<') || BARE_AMPERSAND.test(value))
      return `the attribute ${qname} on <${name}> has a bare "<" or "&"`;
    if (attributes.includes(qname)) return `the attribute ${qname} appears twice on <${name}>`;
    attributes.push(qname);
    if (qname.startsWith('xmlns:')) {
      if (value === '') return `the prefix ${qname.slice(6)} is declared empty`;
      prefixes.set(qname.slice(6), value);
    }
  }
  stack.push({ name, prefixes });
  const prefixOf = (q: string): string | null => (q.includes(':') ? (q.split(':')[0] as string) : null);
  const undeclared = [name, ...attributes].map(prefixOf).find((p) => p !== null && p !== 'xmlns' && !prefixes.has(p));
  if (undeclared) return `the prefix "${undeclared}" is not declared (on <${name}>)`;
  const expanded = attributes
    .filter((q) => prefixOf(q) !== null && !q.startsWith('xmlns:'))
    .map((q) => `${prefixes.get(prefixOf(q) as string)}|${q.split(':')[1]}`);
  if (new Set(expanded).size !== expanded.length) return `two attributes on <${name}> have the same namespace and name`;
  return null;
}
