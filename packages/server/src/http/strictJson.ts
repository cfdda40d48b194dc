import { parse as parseAst } from '@humanwhocodes/momoa';
import type { AnyNode } from '@humanwhocodes/momoa';
import secureJson from 'secure-json-parse';

export type StrictJsonResult =
  | { ok: true; value: unknown }
  | { ok: false; reason: 'malformed'; detail: string }
  | { ok: false; reason: 'duplicate-key'; detail: string };

/**
 * Parse JSON, refusing bodies that repeat a key in one object (parsers disagree on which value
 * wins: CouchDB CVE-2017-12635) and bodies that try prototype poisoning.
 */
export function parseStrictJson(text: string): StrictJsonResult {
  let value: unknown;
  try {
    value = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    return { ok: false, reason: 'malformed', detail: err instanceof Error ? err.message : 'invalid JSON' };
  }
  // Only bodies that contain objects can repeat keys; skip the AST pass for the rest.
  if (typeof value === 'object' && value !== null) {
    const duplicate = findDuplicateKey(parseAst(text).body, '');
    if (duplicate !== null) {
      return { ok: false, reason: 'duplicate-key', detail: `The key at ${duplicate} appears more than once.` };
    }
  }
  return { ok: true, value };
}

function findDuplicateKey(node: AnyNode, pointer: string): string | null {
  if (node.type === 'Object') {
    const seen = new Set<string>();
    for (const member of node.members) {
      const name = member.name.type === 'String' ? member.name.value : member.name.name;
      const at = `${pointer}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (seen.has(name)) return at;
      seen.add(name);
      const inner = findDuplicateKey(member.value, at);
      if (inner !== null) return inner;
    }
  } else if (node.type === 'Array') {
    for (const [i, element] of node.elements.entries()) {
      const inner = findDuplicateKey(element.value, `${pointer}/${i}`);
      if (inner !== null) return inner;
    }
  }
  return null;
}
