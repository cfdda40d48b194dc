import { withinOneEdit } from './distance.js';
import { matchKey } from './fold.js';
import type { SearchableCase, SearchSchema } from './caseIndex.js';

/** One piece of evidence for or against two cases being the same household head. */
export interface DuplicateReason {
  readonly field: 'name' | 'dob' | 'register' | 'phone' | 'area';
  readonly verdict: 'same' | 'similar' | 'different';
  /** What it adds to the score (negative for evidence against). */
  readonly points: number;
}

export interface DuplicateCandidate {
  readonly id: string;
  /** 0–100: how likely the two are one person, from the reasons. */
  readonly score: number;
  readonly reasons: readonly DuplicateReason[];
}

export interface DuplicateSchema extends SearchSchema {
  readonly phoneField?: string;
}

const PHONE = /(^|_)(phone|mobile|tel)(_|$)/;

/** A list's duplicate schema: its search schema and the first of `properties` named like a phone number. */
export function duplicateSchemaOf(search: SearchSchema, properties: Iterable<string>): DuplicateSchema {
  const phoneField = [...properties].find((p) => PHONE.test(p));
  return { ...search, ...(phoneField === undefined ? {} : { phoneField }) };
}

/** Suggestions worth a look: a fellow worker would check anything from here up. */
export const DUPLICATE_THRESHOLD = 45;
const MAX_SUGGESTIONS = 5;
/** Cases compared for one check at most (see `similarTo`). */
const MAX_COMPARED = 200;

interface Profile {
  readonly id: string;
  /** Matching keys of every name word (given, patronymic without its genitive ending, family). */
  readonly names: readonly string[];
  readonly given: string;
  readonly dob: string;
  readonly register: string;
  readonly phone: string;
  readonly area: string;
}

/** Without the genitive ending a patronymic carries (Батын, Доржийн, Дулмаагийн), folded. */
function stem(key: string): string {
  return key.replace(/(gin|in)$/, '') || key;
}

function profile(record: SearchableCase, schema: DuplicateSchema): Profile {
  const p = record.properties;
  const given = schema.nameFields.at(-1);
  const names = schema.nameFields
    .flatMap((field) => (p[field] ?? '').split(/[\s-]+/))
    .filter((w) => w.length > 1)
    .map((w) => stem(matchKey(w)));
  if (names.length === 0)
    names.push(
      ...record.label
        .split(/[\s.,-]+/)
        .filter((w) => w.length > 1)
        .map(matchKey),
    );
  return {
    id: record.id,
    names,
    given: given === undefined ? '' : matchKey(p[given] ?? ''),
    dob: schema.dobField ? (p[schema.dobField] ?? '') : '',
    register: schema.registerField ? (p[schema.registerField] ?? '').replace(/\s+/g, '').toUpperCase() : '',
    phone: schema.phoneField ? (p[schema.phoneField] ?? '').replace(/\D/g, '').slice(-8) : '',
    area:
      schema.areaFields
        .map((f) => p[f] ?? '')
        .filter((v) => v !== '')
        .at(-1) ?? '',
  };
}

function wordsAlike(a: string, b: string): 'same' | 'similar' | null {
  if (a === b) return 'same';
  if (a.length >= 4 && b.length >= 4 && (withinOneEdit(a, b) || a.startsWith(b) || b.startsWith(a))) return 'similar';
  return null;
}

/** Names: the share of the shorter name's words found in the other, in any order. */
function nameReason(a: Profile, b: Profile): DuplicateReason {
  const [short, long] = a.names.length <= b.names.length ? [a, b] : [b, a];
  if (short.names.length === 0) return { field: 'name', verdict: 'different', points: 0 };
  let found = 0;
  let exact = 0;
  for (const word of short.names) {
    const verdicts = long.names.map((other) => wordsAlike(word, other));
    const best = verdicts.includes('same') ? 'same' : verdicts.includes('similar') ? 'similar' : null;
    if (best !== null) {
      found++;
      if (best === 'same') exact++;
    }
  }
  const share = found / short.names.length;
  if (share === 1)
    return { field: 'name', verdict: exact === found ? 'same' : 'similar', points: exact === found ? 45 : 38 };
  if (share >= 0.5) return { field: 'name', verdict: 'similar', points: 22 };
  return { field: 'name', verdict: 'different', points: -25 };
}

function dobReason(a: string, b: string): DuplicateReason | null {
  if (a === '' || b === '') return null;
  if (a === b) return { field: 'dob', verdict: 'same', points: 30 };
  // YYYY-MM-DD compared in place (this runs for every pair a check compares).
  const sameYear = a.length === 10 && b.length === 10 && a.startsWith(b.slice(0, 5));
  // Day and month swapped, or one digit mistyped, keep most of the weight.
  const swapped = sameYear && a.slice(5, 7) === b.slice(8, 10) && a.slice(8, 10) === b.slice(5, 7);
  if (swapped || oneCharApart(a, b)) return { field: 'dob', verdict: 'similar', points: 18 };
  if (sameYear || (a.split('-')[0] ?? '') === (b.split('-')[0] ?? ''))
    return { field: 'dob', verdict: 'similar', points: 5 };
  return { field: 'dob', verdict: 'different', points: -20 };
}

function oneCharApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let differ = 0;
  for (let i = 0; i < a.length && differ < 2; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) differ++;
  return differ === 1;
}

/** The evidence that `a` and `b` are the same person, with a score out of 100. */
export function compareCases(a: SearchableCase, b: SearchableCase, schema: DuplicateSchema): DuplicateCandidate {
  return compareProfiles(profile(a, schema), profile(b, schema));
}

function compareProfiles(a: Profile, b: Profile): DuplicateCandidate {
  const reasons: DuplicateReason[] = [nameReason(a, b)];
  const dob = dobReason(a.dob, b.dob);
  if (dob !== null) reasons.push(dob);
  if (a.register !== '' && b.register !== '') {
    reasons.push(
      a.register === b.register
        ? { field: 'register', verdict: 'same', points: 40 }
        : withinOneEdit(a.register, b.register)
          ? { field: 'register', verdict: 'similar', points: 20 }
          : { field: 'register', verdict: 'different', points: -15 },
    );
  }
  if (a.phone !== '' && b.phone !== '' && a.phone === b.phone)
    reasons.push({ field: 'phone', verdict: 'same', points: 15 });
  if (a.area !== '' && b.area !== '') {
    reasons.push(
      a.area === b.area
        ? { field: 'area', verdict: 'same', points: 5 }
        : { field: 'area', verdict: 'different', points: -5 },
    );
  }
  const score = Math.max(
    0,
    Math.min(
      100,
      reasons.reduce((sum, r) => sum + r.points, 0),
    ),
  );
  return { id: b.id, score, reasons };
}

/**
 * Finds the cases that look like the same person as others, for review and merge, or (with
 * `similarTo`) before a new registration is saved. Candidates come from blocks (any shared or
 * near name word, register number, phone), so a caseload is not compared pair by pair.
 */
export class DuplicateFinder {
  private readonly profiles = new Map<string, Profile>();
  /** Block key → case ids: name-word keys, their first four letters, register and phone. */
  private readonly blocks = new Map<string, Set<string>>();

  constructor(readonly schema: DuplicateSchema) {}

  put(record: SearchableCase): void {
    const p = profile(record, this.schema);
    this.profiles.set(record.id, p);
    for (const key of this.blockKeys(p)) {
      const ids = this.blocks.get(key) ?? new Set<string>();
      ids.add(record.id);
      this.blocks.set(key, ids);
    }
  }

  /**
   * At most five cases most like `record` (not itself), best first, each explained. The most
   * telling blocks are read first (the smallest: a register or phone number, a rare name), and
   * at most `MAX_COMPARED` cases are compared, so one check costs the same in a caseload of
   * 100,000 as in one of 1,000 (a common name's prefix block would otherwise hold thousands).
   */
  similarTo(record: SearchableCase, limit = MAX_SUGGESTIONS): DuplicateCandidate[] {
    const p = profile(record, this.schema);
    const seen = new Set<string>([record.id]);
    const out: DuplicateCandidate[] = [];
    const blocks = this.blockKeys(p)
      .map((key) => this.blocks.get(key))
      .filter((ids): ids is Set<string> => ids !== undefined)
      .sort((a, b) => a.size - b.size);
    let compared = 0;
    for (const ids of blocks) {
      if (compared >= MAX_COMPARED) break;
      for (const id of ids) {
        if (seen.has(id)) continue;
        if (compared >= MAX_COMPARED) break;
        compared++;
        seen.add(id);
        const other = this.profiles.get(id);
        if (other === undefined) continue;
        const candidate = compareProfiles(p, other);
        if (candidate.score >= DUPLICATE_THRESHOLD) out.push(candidate);
      }
    }
    return out.sort((x, y) => y.score - x.score).slice(0, limit);
  }

  private blockKeys(p: Profile): string[] {
    const keys = p.names.flatMap((n) => [`n:${n}`, `p:${n.slice(0, 4)}`, `s:${n.slice(-4)}`]);
    if (p.register !== '') keys.push(`r:${p.register}`);
    if (p.phone !== '') keys.push(`t:${p.phone}`);
    if (p.dob !== '' && p.given !== '') keys.push(`d:${p.dob}:${p.given.slice(0, 2)}`);
    return keys;
  }
}
