// Dates and times typed as text in the one order every language of the app reads (2026-10-23,
// 14:05), so the field looks the same whatever the browser's own language: a native
// <input type="date"> shows mm/dd/yyyy in an English browser even when the app is in Mongolian.

/** `2026-10-23`, `2026.10.23`, `2026/10/3` → `2026-10-23` / `2026-10-03`; null when it is not a real date. */
export function parseDateText(text: string): string | null {
  const m = /^\s*(\d{4})[-./ ](\d{1,2})[-./ ](\d{1,2})\s*$/.exec(text);
  if (m === null) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `9:05`, `09.05`, `1405` → `09:05` / `14:05` (24-hour); null when it is not a time of day. */
export function parseTimeText(text: string): string | null {
  const m = /^\s*(\d{1,2})[:.]?(\d{2})\s*$/.exec(text);
  if (m === null) return null;
  const [hours, minutes] = [Number(m[1]), Number(m[2])];
  if (hours > 23 || minutes > 59) return null;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** The offset of local time at `date`, as XForms dateTime and time carry it: `+08:00`. */
export function localOffset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
