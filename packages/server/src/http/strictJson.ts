import secureJson from 'secure-json-parse';

export type StrictJsonResult =
  { ok: true; value: unknown } | { ok: false; reason: 'malformed' | 'duplicate-key' | 'too-deep'; detail: string };

/**
 * Deepest nesting of arrays and objects a JSON body may have. No Outpost message goes past about
 * ten; the bound keeps every later walk of the value (schema checks, policy, storage) shallow.
 */
export const maxJsonDepth = 64;

/**
 * Parse JSON, refusing bodies that repeat a key in one object (parsers disagree on which value
 * wins: CouchDB CVE-2017-12635), bodies that try prototype poisoning and bodies nested deeper
 * than `maxJsonDepth`. Linear in the length of the text: JSON.parse, then one scan of the text.
 */
export function parseStrictJson(text: string): StrictJsonResult {
  let value: unknown;
  try {
    value = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    return { ok: false, reason: 'malformed', detail: err instanceof Error ? err.message : 'invalid JSON' };
  }
  // Only bodies that contain arrays or objects can nest or repeat keys.
  if (typeof value !== 'object' || value === null) return { ok: true, value };
  const found = scanStructure(text);
  if (found === null) return { ok: true, value };
  if (found.reason === 'too-deep') {
    return {
      ok: false,
      reason: 'too-deep',
      detail: `The body nests deeper than ${maxJsonDepth} levels at ${found.at}.`,
    };
  }
  return { ok: false, reason: 'duplicate-key', detail: `The key at ${found.at} appears more than once.` };
}

/** An open array (keys null) or object (the keys seen so far) and the child being read in it. */
interface Frame {
  keys: Set<string> | null;
  key: string;
  index: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function pointerOf(frames: readonly Frame[], upTo: number, last: string): string {
  let pointer = '';
  for (let d = 0; d < upTo; d++) {
    const f = frames[d] as Frame;
    pointer += `/${f.keys === null ? String(f.index) : escapePointer(f.key)}`;
  }
  return `${pointer}/${last}`;
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * One pass over text that JSON.parse accepted: a stack of open containers (no syntax tree), each
 * object holding the set of its keys. Returns where the first repeated key or too-deep container is.
 */
function scanStructure(text: string): { reason: 'duplicate-key' | 'too-deep'; at: string } | null {
  const frames: Frame[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let j = i + 1;
      while (text.charCodeAt(j) !== QUOTE) j += text.charCodeAt(j) === BACKSLASH ? 2 : 1;
      const top = frames[frames.length - 1];
      if (expectKey && top !== undefined && top.keys !== null) {
        const raw = text.slice(i + 1, j);
        const name = raw.includes('\\') ? (JSON.parse(text.slice(i, j + 1)) as string) : raw;
        if (top.keys.has(name))
          return { reason: 'duplicate-key', at: pointerOf(frames, frames.length - 1, escapePointer(name)) };
        top.keys.add(name);
        top.key = name;
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (frames.length >= maxJsonDepth) {
        return { reason: 'too-deep', at: pointerOf(frames, frames.length - 1, lastSegment(frames)) };
      }
      const isObject = c === 0x7b;
      frames.push({ keys: isObject ? new Set() : null, key: '', index: 0 });
      expectKey = isObject;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      frames.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const top = frames[frames.length - 1];
      if (top !== undefined) {
        if (top.keys === null) top.index += 1;
        else expectKey = true;
      }
    }
  }
  return null;
}

function lastSegment(frames: readonly Frame[]): string {
  const top = frames[frames.length - 1];
  if (top === undefined) return '';
  return top.keys === null ? String(top.index) : escapePointer(top.key);
}
