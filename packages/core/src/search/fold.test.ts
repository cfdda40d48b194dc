import { describe, expect, it } from 'vitest';
import { matchKey, variantKeys, wordKeys } from './fold.js';

describe('matching keys across Cyrillic and Latin spellings', () => {
  // Examples from the MNS 5217 table and the informal variants people type.
  const sameKey: Array<[string, string[]]> = [
    ['Бат-Эрдэнэ', ['Bat-Erdene', 'bat erdene', 'baterdene', 'BAT-ERDENE', 'Бат Эрдэнэ']],
    ['Цэцэгмаа', ['Tsetsegmaa', 'Cecegmaa', 'tsetsegma']],
    ['Өлзийбаяр', ['Ölziibayar', 'Ulziibayar', 'Olziibayar', 'Uldziibayar']],
    ['Мөнхцэцэг', ['Mönkhtsetseg', 'Munkhtsetseg', 'Munhceceg', 'Monxtsetseg']],
    ['Хөвсгөл', ['Khövsgöl', 'Khuvsgul', 'Hovsgol']],
    ['Энхтуяа', ['Enkhtuya', 'Enhtuyaa']],
    ['Жаргал', ['Jargal', 'Zhargal']],
    ['Чулуун', ['Chuluun', 'Chulun']],
    ['Шинэ', ['Shine']],
    ['Ёндон', ['Yondon']],
    ['Юмсүрэн', ['Yumsuren']],
    ['Есүй', ['Yesui', 'Esui']],
    ['Найдан', ['Naidan']],
    ['Мыагмар', ['Myagmar', 'Miagmar']],
    ['Түвшин', ['Tüvshin', 'Tuvshin']],
    ['Хүрэлбаатар', ['Khurelbaatar', 'Hurelbaatar', 'Khürelbaatar']],
  ];
  it.each(sameKey)('%s has the key of each of its spellings', (cyrillic, spellings) => {
    const key = matchKey(cyrillic);
    for (const spelling of spellings) expect(matchKey(spelling), spelling).toBe(key);
  });

  it('gives the documented keys', () => {
    expect(matchKey('Бат-Эрдэнэ')).toBe('baterdene');
    expect(matchKey('Цэцэгмаа')).toBe('cecegma');
    expect(matchKey('Өлзийбаяр')).toBe('ulzibaiar');
    expect(matchKey('Сонгинохайрхан')).toBe('sunginuhairhan');
  });

  it('keeps different names apart', () => {
    expect(matchKey('Батбаяр')).not.toBe(matchKey('Батболд'));
    expect(matchKey('Цагааннуур')).not.toBe(matchKey('Цагаан-Уур'));
  });

  it('keeps a hyphenated name as one word and splits on spaces', () => {
    expect(wordKeys('Б. Бат-Эрдэнэ')).toEqual(['b', 'baterdene']);
    expect(wordKeys('  Дорж  Болд ')).toEqual(['durj', 'buld']);
  });

  it('reads ү typed as v after a consonant', () => {
    expect(variantKeys('Tvvshin')).toContain(matchKey('Түвшин'));
    expect(variantKeys('Bvrev')).toContain(matchKey('Бүрэв'));
    expect(variantKeys('Bat')).toEqual([]);
  });
});
