/** One day cell of a month grid: its date, and whether it belongs to the month shown. */
export interface CalendarDay {
  /** 2026-10-23 */
  readonly date: string;
  readonly day: number;
  readonly inMonth: boolean;
}

/** A month as whole weeks, Monday first (as Mongolia, Papua New Guinea and ISO 8601 count them). */
export function monthGrid(year: number, month: number): CalendarDay[][] {
  const first = new Date(Date.UTC(year, month - 1, 1));
  // getUTCDay: Sunday 0 … Saturday 6; days to step back to the Monday on or before the 1st.
  const back = (first.getUTCDay() + 6) % 7;
  const start = Date.UTC(year, month - 1, 1 - back);
  const weeks: CalendarDay[][] = [];
  for (let w = 0; w < 6; w++) {
    const week: CalendarDay[] = [];
    for (let d = 0; d < 7; d++) {
      const at = new Date(start + (w * 7 + d) * 86_400_000);
      week.push({
        date: at.toISOString().slice(0, 10),
        day: at.getUTCDate(),
        inMonth: at.getUTCMonth() === month - 1,
      });
    }
    // A sixth week entirely in the next month is left out.
    if (w > 0 && !week.some((day) => day.inMonth)) break;
    weeks.push(week);
  }
  return weeks;
}

/** The month before or after, as [year, month]. */
export function stepMonth(year: number, month: number, by: -1 | 1): [number, number] {
  const index = year * 12 + (month - 1) + by;
  return [Math.floor(index / 12), (index % 12) + 1];
}
