/**
 * Matching keys for Mongolian names and places across Cyrillic and Latin spellings.
 *
 * Rule set after the "matching key" of mongolmaps (`.mm_key`, MIT): transliterate Cyrillic with the
 * MNS 5217 / NSO table, lower-case, strip diacritics, then fold the letters that people write in
 * several ways (x→kh, zh→j, dz→z, ts→c, kh→h, ye→e, y→i, w→b, v→b, o→u) and collapse repeated
 * vowels. The same function is applied to the data and to the query, so "Бат-Эрдэнэ",
 * "Bat-Erdene", "bat erdene" and "baterdene" all become `baterdene`.
 */

const CYRILLIC: Readonly<Record<string, string>> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'ye',
  ё: 'yo',
  ж: 'j',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  ө: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ү: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'sh',
  ъ: 'i',
  ы: 'y',
  ь: 'i',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

/** Lower-case Latin letters and digits of `text`, Cyrillic transliterated, diacritics removed. */
export function latinize(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC').toLowerCase()) {
    const mapped = CYRILLIC[char];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    if ((char >= 'a' && char <= 'z') || (char >= '0' && char <= '9')) {
      out += char;
      continue;
    }
    const plain = char.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (/^[a-z0-9]$/.test(plain)) out += plain;
    else if (plain === "'" || plain === '’') continue;
    else out += ' ';
  }
  return out;
}

/** Names repeat across a caseload; folding each distinct word once keeps indexing fast. */
const folded = new Map<string, string>();
const FOLD_CACHE_SIZE = 50_000;

/** Folds one latinized word (no spaces) to its matching key. */
function foldWord(word: string): string {
  const cached = folded.get(word);
  if (cached !== undefined) return cached;
  const key = foldUncached(word);
  if (folded.size >= FOLD_CACHE_SIZE) folded.clear();
  folded.set(word, key);
  return key;
}

function foldUncached(word: string): string {
  const w = word
    .replace(/x/g, 'kh')
    .replace(/zh/g, 'j')
    .replace(/dz/g, 'z')
    .replace(/ts/g, 'c')
    .replace(/kh/g, 'h')
    .replace(/ye/g, 'e')
    .replace(/y/g, 'i')
    .replace(/w/g, 'b')
    .replace(/v/g, 'b')
    .replace(/o/g, 'u');
  let collapsed = '';
  for (const char of w) {
    const last = collapsed.at(-1);
    if (last === char && VOWELS.has(char)) continue;
    collapsed += char;
  }
  return collapsed;
}

/**
 * The matching keys of the words of `text`: one key per word, with hyphens and apostrophes
 * joining, so "Бат-Эрдэнэ" is one word. Empty words are dropped.
 */
export function wordKeys(text: string): string[] {
  const cached = splitKeys.get(text);
  if (cached !== undefined) return cached;
  const keys = wordKeysUncached(text);
  if (splitKeys.size >= FOLD_CACHE_SIZE) splitKeys.clear();
  splitKeys.set(text, keys);
  return keys;
}

const splitKeys = new Map<string, string[]>();

function wordKeysUncached(text: string): string[] {
  return latinize(text.replace(/[-‐‑]/g, ''))
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .map(foldWord);
}

/** The matching key of a whole text with spaces and hyphens ignored ("bat erdene" → `baterdene`). */
export function matchKey(text: string): string {
  return foldWord(latinize(text).replace(/\s+/g, ''));
}

/**
 * Extra keys for the chat habit of typing ү as "v" (Tvvshin for Түвшин, Bvrev for Бүрэв): a `v`
 * right after a consonant is read as `u`. Empty when the text has no such `v`.
 */
export function variantKeys(text: string): string[] {
  const latin = latinize(text).replace(/\s+/g, '');
  if (!latin.includes('v')) return [];
  let swapped = '';
  for (const char of latin) {
    const previous = swapped.at(-1);
    const afterConsonant =
      previous !== undefined && /[a-z]/.test(previous) && !VOWELS.has(previous) && previous !== 'y';
    swapped += char === 'v' && afterConsonant ? 'u' : char;
  }
  return swapped === latin ? [] : [foldWord(swapped)];
}

/** Mongolian Cyrillic in alphabetical order (Ө after О, Ү after У), for a sort key. */
const ALPHABET = 'абвгдеёжзийклмноөпрстуүфхцчшщъыьэюя';

/**
 * A text that sorts by plain comparison as Mongolian collation would: Cyrillic letters are
 * renumbered in the Mongolian alphabet's order, after Latin. Cheap enough for 100,000 labels.
 */
export function sortKey(text: string): string {
  let out = '';
  for (const char of text.toLowerCase()) {
    const position = ALPHABET.indexOf(char);
    out += position < 0 ? char : String.fromCharCode(0x3000 + position);
  }
  return out;
}

const nameKeyCache = new Map<string, readonly string[]>();

/**
 * Every key a name text is found by: each word's key, the parts of a hyphenated word ("Даваа" and
 * "Эрдэнэ" of "Даваа-Эрдэнэ"), the ү-as-v variants, and the whole text as one word when it is
 * two or three words ("Бат Эрдэнэ" typed "baterdene"). Cached: names repeat across a caseload.
 */
export function nameKeys(text: string): readonly string[] {
  const cached = nameKeyCache.get(text);
  if (cached !== undefined) return cached;
  const keys = new Set<string>();
  const words = text.split(/\s+/).filter((word) => word.length > 0);
  for (const word of words) {
    for (const key of wordKeys(word)) keys.add(key);
    const parts = word.split(/[-‐‑]/).filter((part) => part.length > 0);
    if (parts.length > 1) for (const part of parts) for (const key of wordKeys(part)) keys.add(key);
    for (const variant of variantKeys(word)) keys.add(variant);
  }
  if (words.length > 1 && words.length <= 3) keys.add(matchKey(text));
  keys.delete('');
  const out = [...keys];
  if (nameKeyCache.size >= FOLD_CACHE_SIZE) nameKeyCache.clear();
  nameKeyCache.set(text, out);
  return out;
}
