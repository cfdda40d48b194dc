/**
 * Mongolian civil register number (регистрийн дугаар): two Cyrillic letters and eight digits;
 * digits 1–6 are the birth date YYMMDD with the month plus 20 for births from 2000; the 7th digit
 * (9th character) is odd for men and even for women (domain.md §2.5, read from code, not from an
 * official specification). The last digit's meaning is unknown, so nothing here checks it.
 */
export type Sex = 'male' | 'female';

const PATTERN = /^([А-ЯЁӨҮ]{2})(\d{2})(\d{2})(\d{2})(\d)(\d)$/u;

export interface RegisterNumberParts {
  letters: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: Sex;
}

export function parseRegisterNumber(value: string): RegisterNumberParts | null {
  const match = PATTERN.exec(value.toUpperCase());
  if (match === null) return null;
  const [, letters = '', yy = '', mm = '', dd = '', sexDigit = ''] = match;
  let month = Number(mm);
  let year = 1900 + Number(yy);
  if (month > 20) {
    month -= 20;
    year += 100;
  }
  const day = Number(dd);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || date.getUTCDate() !== day) return null;
  return {
    letters,
    birthDate: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    sex: Number(sexDigit) % 2 === 1 ? 'male' : 'female',
  };
}

/** Builds a number consistent with `birthDate` (YYYY-MM-DD) and `sex`; `serial` is two digits 0–99. */
export function formatRegisterNumber(letters: string, birthDate: string, sex: Sex, serial: number): string {
  const [year = 0, month = 0, day = 0] = birthDate.split('-').map(Number);
  const mm = year >= 2000 ? month + 20 : month;
  const tens = Math.floor(serial / 10) % 10;
  const sexDigit = sex === 'male' ? (tens % 2 === 1 ? tens : (tens + 1) % 10) : tens % 2 === 0 ? tens : tens - 1;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${letters}${pad(year % 100)}${pad(mm)}${pad(day)}${sexDigit}${serial % 10}`;
}
