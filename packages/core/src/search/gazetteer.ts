import { matchKey } from './fold.js';

/** One unit of an area hierarchy (aimag → soum → bag; district → khoroo; province → … → ward). */
export interface AreaEntry {
  readonly code: string;
  readonly parentCode: string | null;
  /** Its names in every language and script the list has. */
  readonly names: readonly string[];
}

/** Words that name the kind of unit, dropped so "Баянзүрх дүүрэг" finds "Баянзүрх". */
const GENERIC = new Set(
  [
    'аймаг',
    'сум',
    'баг',
    'дүүрэг',
    'хороо',
    'aimag',
    'soum',
    'sum',
    'bag',
    'district',
    'duureg',
    'khoroo',
    'province',
    'ward',
    'llg',
  ].map((w) => matchKey(w)),
);

function placeKey(name: string): string {
  return name
    .split(/\s+/)
    .filter((word) => !GENERIC.has(matchKey(word)))
    .map((word) => matchKey(word))
    .join('');
}

/** Resolves an area given by code or by name in either script, and walks up the hierarchy. */
export class AreaGazetteer {
  private readonly parents = new Map<string, string | null>();
  private readonly byKey = new Map<string, string[]>();

  constructor(areas: readonly AreaEntry[]) {
    for (const area of areas) {
      this.parents.set(area.code, area.parentCode);
      for (const name of area.names) {
        const key = placeKey(name);
        if (key.length === 0) continue;
        const codes = this.byKey.get(key) ?? [];
        if (!codes.includes(area.code)) codes.push(area.code);
        this.byKey.set(key, codes);
      }
    }
  }

  /** The code itself and every unit above it. Unknown codes stand alone. */
  withAncestors(code: string): string[] {
    const out: string[] = [];
    let current: string | null | undefined = code;
    while (current !== null && current !== undefined && !out.includes(current)) {
      out.push(current);
      current = this.parents.get(current);
    }
    return out;
  }

  /**
   * The codes an area filter means: the code itself when it is one, else every unit whose name
   * matches (exactly, or as a prefix when nothing matches exactly). Empty when nothing does.
   */
  resolve(text: string): string[] {
    const trimmed = text.trim();
    if (this.parents.has(trimmed)) return [trimmed];
    const key = placeKey(trimmed);
    if (key.length === 0) return [];
    const exact = this.byKey.get(key);
    if (exact !== undefined) return exact;
    const out: string[] = [];
    for (const [name, codes] of this.byKey) if (name.startsWith(key)) out.push(...codes);
    return out;
  }
}
