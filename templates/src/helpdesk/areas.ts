import type { Area } from '../area.js';

/** Country offices served by the digital helpdesk (the three requests of the product brief). */
export const areaListVersion = 'helpdesk-offices-2026.1';

export const areas: Area[] = [
  {
    code: 'MN',
    parentCode: null,
    level: 'office',
    name: { en: 'Mongolia country office', mn: 'Монгол дахь суурин төлөөлөгчийн газар' },
  },
  {
    code: 'PG',
    parentCode: null,
    level: 'office',
    name: { en: 'Papua New Guinea country office', mn: 'Папуа Шинэ Гвиней дэх суурин төлөөлөгчийн газар' },
  },
  {
    code: 'GE',
    parentCode: null,
    level: 'office',
    name: { en: 'Georgia country office', mn: 'Гүрж дэх суурин төлөөлөгчийн газар' },
  },
];
