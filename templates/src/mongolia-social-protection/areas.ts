import type { Area } from '../area.js';

/**
 * Mongolian administrative units keyed by HDX COD-AB P-code ("MN" + NSO code without the region
 * digit), see templates/mongolia-social-protection/SOURCES.md. Khoroo lists change (Bayanzürkh
 * went from 28 to 43 khoroos in 2021), so the list carries a version and nothing counts on sizes.
 */
export const areaListVersion = 'mn-admin-2022.1';

const aimags: Array<[code: string, mn: string, en: string]> = [
  ['MN11', 'Улаанбаатар', 'Ulaanbaatar'],
  ['MN21', 'Дорнод', 'Dornod'],
  ['MN22', 'Сүхбаатар', 'Sükhbaatar'],
  ['MN23', 'Хэнтий', 'Khentii'],
  ['MN41', 'Төв', 'Töv'],
  ['MN42', 'Говьсүмбэр', 'Govisümber'],
  ['MN43', 'Сэлэнгэ', 'Selenge'],
  ['MN44', 'Дорноговь', 'Dornogovi'],
  ['MN45', 'Дархан-Уул', 'Darkhan-Uul'],
  ['MN46', 'Өмнөговь', 'Ömnögovi'],
  ['MN48', 'Дундговь', 'Dundgovi'],
  ['MN61', 'Орхон', 'Orkhon'],
  ['MN62', 'Өвөрхангай', 'Övörkhangai'],
  ['MN63', 'Булган', 'Bulgan'],
  ['MN64', 'Баянхонгор', 'Bayankhongor'],
  ['MN65', 'Архангай', 'Arkhangai'],
  ['MN67', 'Хөвсгөл', 'Khövsgöl'],
  ['MN81', 'Завхан', 'Zavkhan'],
  ['MN82', 'Говь-Алтай', 'Govi-Altai'],
  ['MN83', 'Баян-Өлгий', 'Bayan-Ölgii'],
  ['MN84', 'Ховд', 'Khovd'],
  ['MN85', 'Увс', 'Uvs'],
];

const districts: Array<[code: string, mn: string, en: string]> = [
  ['MN1101', 'Багануур', 'Baganuur'],
  ['MN1104', 'Багахангай', 'Bagakhangai'],
  ['MN1107', 'Баянгол', 'Bayangol'],
  ['MN1110', 'Баянзүрх', 'Bayanzürkh'],
  ['MN1113', 'Налайх', 'Nalaikh'],
  ['MN1116', 'Сонгинохайрхан', 'Songinokhairkhan'],
  ['MN1119', 'Сүхбаатар', 'Sükhbaatar'],
  ['MN1122', 'Хан-Уул', 'Khan-Uul'],
  ['MN1125', 'Чингэлтэй', 'Chingeltei'],
];

/** Khoroo counts as of 2022 for the districts whose khoroos this list carries. */
const khorooCounts: Array<[district: string, count: number]> = [
  ['MN1110', 43],
  ['MN1119', 20],
  ['MN1116', 43],
];

// NSO numbers khoroos 1–25 with odd codes 51…99 and later ones with even codes 52, 54, …
// (seen in the NSO code list for Songinokhairkhan 26–43 and Bayanzürkh 26–28; Bayanzürkh 29–43
// follow the same rule by derivation, not from a published list).
export function khorooCode(district: string, ordinal: number): string {
  const suffix = ordinal <= 25 ? 49 + 2 * ordinal : 50 + 2 * (ordinal - 25);
  return `${district}${suffix}`;
}

const soums: Array<[code: string, aimag: string, mn: string, en: string]> = [
  ['MN4201', 'MN42', 'Сүмбэр', 'Sümber'],
  ['MN4204', 'MN42', 'Баянтал', 'Bayantal'],
  ['MN4207', 'MN42', 'Шивээговь', 'Shiveegovi'],
  ['MN4501', 'MN45', 'Дархан', 'Darkhan'],
  ['MN4504', 'MN45', 'Орхон', 'Orkhon'],
  ['MN4507', 'MN45', 'Хонгор', 'Khongor'],
  ['MN4510', 'MN45', 'Шарынгол', 'Sharyngol'],
  ['MN6101', 'MN61', 'Баян-Өндөр', 'Bayan-Öndör'],
  ['MN6104', 'MN61', 'Жаргалант', 'Jargalant'],
];

const bags: Array<[soum: string, ordinal: number, mn: string, en: string]> = [
  ['MN6101', 1, 'Зэст', 'Zest'],
  ['MN6101', 2, 'Оюут', 'Oyuut'],
  ['MN6101', 3, 'Уурхайчин', 'Uurkhaichin'],
  ['MN6101', 4, 'Хүрэнбулаг', 'Khürenbulag'],
  ['MN6101', 5, 'Уртбулаг', 'Urtbulag'],
  ['MN6101', 6, 'Согоот', 'Sogoot'],
  ['MN6104', 1, 'Улаантолгой', 'Ulaantolgoi'],
  ['MN6104', 2, 'Жаргалант', 'Jargalant'],
  ['MN6104', 3, 'Дулаан-Уул', 'Dulaan-Uul'],
];

function buildAreas(): Area[] {
  const areas: Area[] = aimags.map(([code, mn, en]) => ({
    code,
    parentCode: null,
    level: code === 'MN11' ? 'capital' : 'aimag',
    name: { mn, en },
  }));
  for (const [code, mn, en] of districts) areas.push({ code, parentCode: 'MN11', level: 'district', name: { mn, en } });
  for (const [district, count] of khorooCounts) {
    for (let n = 1; n <= count; n++) {
      areas.push({
        code: khorooCode(district, n),
        parentCode: district,
        level: 'khoroo',
        name: { mn: `${n}-р хороо`, en: `Khoroo ${n}` },
      });
    }
  }
  for (const [code, aimag, mn, en] of soums) areas.push({ code, parentCode: aimag, level: 'soum', name: { mn, en } });
  for (const [soum, n, mn, en] of bags) {
    areas.push({
      code: `${soum}${49 + 2 * n}`,
      parentCode: soum,
      level: 'bag',
      name: { mn: `${n}-р баг, ${mn}`, en: `Bag ${n} (${en})` },
    });
  }
  return areas;
}

export const areas: Area[] = buildAreas();
