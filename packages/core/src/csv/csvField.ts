// Every CSV and spreadsheet cell Outpost writes (the server's exports, the web app's chart data)
// goes through here. A spreadsheet opening the file runs a cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab or carriage return)
// as a formula: an answer typed as `=HYPERLINK(...)` or `-2+3+cmd|' /C calc'!A0` would run on the
// analyst's computer (CSV injection, OWASP). Such a cell gets a leading `'`, which spreadsheets
// read as "text" and forms show as it is. A plain number, or numbers separated by spaces and
// semicolons (geopoints, geotraces such as `-6.31 147.2 0 0`), cannot name a function or another
// sheet and is left alone, so negative numbers and southern latitudes keep their value.

const formulaStart = /^[=+\-@\t\r]/;
const number = String.raw`[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?`;
const numbersOnly = new RegExp(`^${number}(?:[ ;]+${number})*$`);

/** A spreadsheet cell's text that no spreadsheet runs as a formula. */
export function neutralizeFormula(value: string): string {
  return formulaStart.test(value) && !numbersOnly.test(value) ? `'${value}` : value;
}

/** A value as one cell of a CSV line: formula-neutralised, then quoted when it needs to be. */
export function csvField(value: string): string {
  const safe = neutralizeFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
