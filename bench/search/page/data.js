// A synthetic Mongolian caseload and the queries people type for it, built the same way for every
// engine. Names are compounds of common morphemes (domain research: given names, -maa, -tuyaa…),
// patronymics in the genitive, khoroos of one district, needs from the template's list.

const FIRST = [
  'Бат',
  'Ган',
  'Мөнх',
  'Болд',
  'Цэцэг',
  'Өлзий',
  'Түвшин',
  'Энх',
  'Оюун',
  'Нар',
  'Сарнай',
  'Алтан',
  'Төмөр',
  'Чулуун',
  'Хүрэл',
  'Даваа',
  'Жаргал',
  'Баяр',
  'Сүх',
  'Ариун',
  'Отгон',
  'Ням',
  'Пүрэв',
  'Лхагва',
  'Шинэ',
];
const SECOND = [
  '-Эрдэнэ',
  'баатар',
  'болд',
  'цэцэг',
  'маа',
  'туяа',
  'жаргал',
  'сайхан',
  'бат',
  'чимэг',
  'гэрэл',
  'тунгалаг',
  'сүрэн',
  '-Очир',
  'хүү',
  'зул',
  'дорж',
  'саран',
];
const CLANS = [
  'Боржигин',
  'Бэсүд',
  'Сартуул',
  'Хиад',
  'Урианхай',
  'Тайчууд',
  'Жалайр',
  'Хонгирад',
  'Олхонуд',
  'Дөрвөд',
];
export const NEEDS = [
  'food',
  'heating_winter',
  'health',
  'education',
  'water_sanitation',
  'housing',
  'employment',
  'disability_support',
  'cash',
];
export const KHOROOS = Array.from({ length: 43 }, (_, i) => ({
  code: `MN1110${i < 25 ? 49 + 2 * (i + 1) : 50 + 2 * (i + 1 - 25)}`,
  names: [`${i + 1}-р хороо`, `Khoroo ${i + 1}`],
}));
export const AREAS = [
  { code: 'MN11', parentCode: null, names: ['Улаанбаатар', 'Ulaanbaatar'] },
  { code: 'MN1110', parentCode: 'MN11', names: ['Баянзүрх', 'Bayanzürkh'] },
  ...KHOROOS.map((k) => ({ ...k, parentCode: 'MN1110' })),
];

export function random(seed) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  return {
    next,
    pick: (list) => list[Math.floor(next() * list.length)],
    int: (a, b) => a + Math.floor(next() * (b - a + 1)),
  };
}

function givenName(r) {
  const name = r.pick(FIRST) + r.pick(SECOND);
  return name
    .replace(/-(\p{Lu})/u, '-$1')
    .replace(/^(\p{Lu}\p{Ll}*)-(\p{Ll})/u, (_, a, b) => `${a}-${b.toUpperCase()}`);
}

function genitive(name) {
  const base = name.replace(/-/g, '');
  return /[аоуёэ]$/.test(base) ? `${base}гийн` : /[еиөүэ]/.test(base) ? `${base}ийн` : `${base}ын`;
}

export function makeCases(count, seed = 2026) {
  const r = random(seed);
  const cases = [];
  for (let i = 0; i < count; i++) {
    const given = givenName(r);
    const father = genitive(givenName(r));
    const year = r.int(1935, 2008);
    const needs = NEEDS.filter(() => r.next() < 0.25);
    cases.push({
      id: `c${i}`,
      label: `${father.slice(0, 1)}. ${given}`,
      properties: {
        head_family_name: r.pick(CLANS),
        head_fathers_name: father,
        head_given_name: given,
        head_dob: `${year}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`,
        head_sex: r.next() < 0.5 ? 'male' : 'female',
        aimag: 'MN11',
        soum: 'MN1110',
        bag: r.pick(KHOROOS).code,
        needs: needs.join(' '),
      },
    });
  }
  return cases;
}

// MNS 5217 as a typist applies it, independent of the engines' folding.
const MNS = {
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
  ө: 'ö',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ү: 'ü',
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

function mns(text) {
  return [...text.toLowerCase()].map((c) => MNS[c] ?? c).join('');
}

/** The informal habits: kh→h, ts→c, ö/ü→u or o, ü→v, a doubled vowel halved, a hyphen as a space. */
function informal(latin, r) {
  let out = latin;
  if (r.next() < 0.5) out = out.replace(/kh/g, 'h');
  if (r.next() < 0.5) out = out.replace(/ts/g, 'c');
  out = out.replace(/ö/g, () => (r.next() < 0.7 ? 'u' : 'o'));
  out = out.replace(/ü/g, () => (r.next() < 0.7 ? 'u' : 'v'));
  if (r.next() < 0.4) out = out.replace(/([aeiou])\1/, '$1');
  if (r.next() < 0.5) out = out.replace(/-/g, ' ');
  return out;
}

/** One typo: a letter dropped, doubled or swapped with its neighbour (names of five letters or more). */
function typo(word, r) {
  if (word.replace(/[^a-z]/g, '').length < 6) return word;
  const at = r.int(1, word.length - 3);
  const kind = r.int(0, 2);
  if (kind === 0) return word.slice(0, at) + word.slice(at + 1);
  if (kind === 1) return word.slice(0, at) + word[at] + word.slice(at);
  return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
}

/** Name queries: Latin spellings of a case's given name and patronymic, half of them with a typo. */
export function nameQueries(cases, count, seed = 7) {
  const r = random(seed);
  const out = [];
  for (let i = 0; i < count; i++) {
    const target = cases[Math.floor(r.next() * cases.length)];
    const given = informal(mns(target.properties.head_given_name), r);
    const father = informal(mns(target.properties.head_fathers_name.replace(/(г?ийн|ын)$/, '')), r);
    const words = [r.next() < 0.5 ? typo(given, r) : given, father];
    out.push({ text: words.join(' '), targetId: target.id });
  }
  return out;
}
