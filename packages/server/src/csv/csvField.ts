// Every CSV the server writes goes through `csvField`. A spreadsheet opening the file runs a
// cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab or carriage return) as a
// formula: an answer typed as `=HYPERLINK(...)` or `-2+3+cmd|' /C calc'!A0` would run on the
// analyst's computer (CSV injection). Such a cell is given a leading `'`, which spreadsheets read
// as "text" and forms show as it is. Cells made only of digits, signs, decimal points, exponents,
// spaces and semicolons (numbers, geopoints, geotraces such as `-6.31 147.2 0 0`) cannot name
// a function or another sheet and are left alone, so negative numbers and southern latitudes
// keep their value.

const formulaStart = /^[=+\-@\t\r]/;
const numericOnly = /^[-+0-9.eE ;]+$/;

/** A value as one cell of a CSV line: formula-neutralised, then quoted when it needs to be. */
export function csvField(value: string): string {
  const safe = formulaStart.test(value) && !numericOnly.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
