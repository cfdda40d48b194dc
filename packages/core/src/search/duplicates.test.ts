import { describe, expect, it } from 'vitest';
import { DuplicateFinder, compareCases } from './duplicates.js';
import type { DuplicateSchema } from './duplicates.js';
import type { SearchableCase } from './caseIndex.js';

const schema: DuplicateSchema = {
  nameFields: ['head_family_name', 'head_fathers_name', 'head_given_name'],
  dobField: 'head_dob',
  sexField: 'head_sex',
  areaFields: ['aimag', 'soum', 'bag'],
  selectFields: [],
  registerField: 'head_register_number',
  phoneField: 'head_phone',
};

// A seeded caseload of compound Mongolian names, with duplicates planted the ways they arise:
// registered again in Latin letters, with a typo, with given name and patronymic swapped, with
// day and month of birth swapped, without the register number.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}
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
  'Алтан',
  'Төмөр',
  'Чулуун',
  'Хүрэл',
  'Жаргал',
  'Баяр',
  'Сүх',
  'Ариун',
  'Отгон',
  'Пүрэв',
];
const SECOND = [
  'эрдэнэ',
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
  'сүрэн',
  'очир',
  'хүү',
  'зул',
  'дорж',
];
const CLANS = ['Боржигин', 'Бэсүд', 'Сартуул', 'Хиад', 'Урианхай', 'Тайчууд', 'Жалайр', 'Хонгирад'];
const MNS: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'ye',
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
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  ы: 'y',
  ь: 'i',
  э: 'e',
  я: 'ya',
  ю: 'yu',
  ё: 'yo',
};
const latin = (text: string): string =>
  [...text]
    .map((c) => {
      const l = MNS[c.toLowerCase()];
      return l === undefined ? c : c === c.toLowerCase() ? l : l.charAt(0).toUpperCase() + l.slice(1);
    })
    .join('');

function makeCaseload(count: number, seed: number): { cases: SearchableCase[]; planted: Array<[string, string]> } {
  const r = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
  const cases: SearchableCase[] = [];
  for (let i = 0; i < count; i++) {
    const given = pick(FIRST) + pick(SECOND);
    const father = pick(FIRST) + pick(SECOND);
    const dob = `${1940 + Math.floor(r() * 65)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
    cases.push({
      id: `c${i}`,
      label: `${father.slice(0, 1)}. ${given}`,
      properties: {
        head_family_name: pick(CLANS),
        head_fathers_name: `${father}ын`,
        head_given_name: given,
        head_dob: dob,
        head_register_number: `УК${String(Math.floor(r() * 1e8)).padStart(8, '0')}`,
        head_phone: `99${String(Math.floor(r() * 1e6)).padStart(6, '0')}`,
        bag: `MN1110${51 + 2 * Math.floor(r() * 20)}`,
      },
    });
  }
  const planted: Array<[string, string]> = [];
  for (let i = 0; i < count / 10; i++) {
    const original = cases[Math.floor(r() * count)] as SearchableCase;
    const p = { ...original.properties } as Record<string, string>;
    const kind = i % 5;
    if (kind === 0) {
      for (const f of ['head_family_name', 'head_fathers_name', 'head_given_name']) p[f] = latin(p[f] ?? '');
    } else if (kind === 1) {
      const g = p['head_given_name'] ?? '';
      const at = 2 + Math.floor(r() * (g.length - 3));
      p['head_given_name'] = g.slice(0, at) + g.slice(at + 1);
    } else if (kind === 2) {
      [p['head_given_name'], p['head_fathers_name']] = [
        (p['head_fathers_name'] ?? '').replace(/ын$/, ''),
        `${p['head_given_name'] ?? ''}ын`,
      ];
    } else if (kind === 3) {
      const [y, m, d] = (p['head_dob'] ?? '').split('-');
      if (Number(d) <= 12) p['head_dob'] = `${y}-${d}-${m}`;
      p['head_given_name'] = latin(p['head_given_name'] ?? '');
    }
    if (kind !== 4) delete p['head_register_number'];
    if (r() < 0.5) delete p['head_phone'];
    const id = `dup${i}`;
    cases.push({ id, label: `dup ${i}`, properties: p });
    planted.push([id, original.id]);
  }
  return { cases, planted };
}

describe('duplicate detection', () => {
  it('explains a pair: same register number and birth date, names in two scripts', () => {
    const a: SearchableCase = {
      id: 'a',
      label: 'Д. Бат-Эрдэнэ',
      properties: {
        head_fathers_name: 'Доржийн',
        head_given_name: 'Бат-Эрдэнэ',
        head_dob: '1980-05-04',
        head_register_number: 'УК80050414',
      },
    };
    const b: SearchableCase = {
      id: 'b',
      label: 'D. Bat-Erdene',
      properties: {
        head_fathers_name: 'Dorjiin',
        head_given_name: 'Bat-Erdene',
        head_dob: '1980-05-04',
        head_register_number: 'УК80050414',
      },
    };
    const result = compareCases(a, b, schema);
    expect(result.score).toBe(100);
    expect(result.reasons.map((r) => `${r.field}:${r.verdict}`)).toEqual(['name:same', 'dob:same', 'register:same']);
    const stranger = compareCases(
      a,
      {
        id: 'c',
        label: 'x',
        properties: { head_fathers_name: 'Болдын', head_given_name: 'Цэцэгмаа', head_dob: '1962-01-02' },
      },
      schema,
    );
    expect(stranger.score).toBe(0);
  });

  // 20,000: a common name's prefix block then holds thousands, and each check still compares a
  // bounded number of cases, the most telling first.
  it.each([2_000, 20_000])(
    'finds nine in ten planted duplicates among at most five suggestions per case, in %i cases',
    (count) => {
      const { cases, planted } = makeCaseload(count, 20261207);
      const finder = new DuplicateFinder(schema);
      for (const c of cases) finder.put(c);
      const byId = new Map(cases.map((c) => [c.id, c]));
      let found = 0;
      let suggestions = 0;
      for (const [dup, original] of planted) {
        const similar = finder.similarTo(byId.get(dup) as SearchableCase);
        expect(similar.length).toBeLessThanOrEqual(5);
        suggestions += similar.length;
        if (similar.some((s) => s.id === original)) found++;
      }
      const recall = found / planted.length;
      expect(recall).toBeGreaterThanOrEqual(0.9);
      // Not a flood: on average a planted duplicate brings few other suggestions.
      expect(suggestions / planted.length).toBeLessThan(3);
    },
    120_000,
  );

  it('suggests nothing for a new registration that matches no one', () => {
    const { cases } = makeCaseload(500, 7);
    const finder = new DuplicateFinder(schema);
    for (const c of cases) finder.put(c);
    const fresh: SearchableCase = {
      id: 'new',
      label: 'Ж. Зоригтбаатар',
      properties: { head_fathers_name: 'Жамбалын', head_given_name: 'Зоригтбаатар', head_dob: '2001-02-03' },
    };
    expect(finder.similarTo(fresh)).toEqual([]);
  });
});
