import type { DeviceRecord } from './listDeviceRecords.js';

/**
 * An entity list CSV (`cases.csv`) as this device knows the list: the server's rows with the
 * device's own unsent or unacknowledged edits laid over them, and the cases created here that the
 * server has not sent back yet. Follow-up forms prefill from this list (docs/entities.md), so a
 * second visit made before the first reached the server starts from what the first one saved,
 * not from the older server copy; and a household registered offline can be visited offline.
 * Only the columns the CSV already has are filled; the server's `__version` is kept.
 */
export function overlayDeviceEdits(csv: string, listName: string, records: readonly DeviceRecord[]): string {
  const rows = parseCsv(csv);
  const header = rows[0];
  if (header === undefined || header[0] !== 'name') return csv;
  const mine = new Map(
    records
      .filter((r) => r.list === listName && r.state !== 'synced')
      .map((r) => [r.id.replace(/^uuid:/i, '').toLowerCase(), r]),
  );
  if (mine.size === 0) return csv;
  const cellsOf = (record: DeviceRecord, base: readonly string[]): string[] =>
    header.map((column, i) => {
      if (column === 'name') return base[i] ?? record.id.replace(/^uuid:/i, '').toLowerCase();
      if (column === 'label') return record.label !== record.id ? record.label : (base[i] ?? '');
      if (column.startsWith('__')) return base[i] ?? '';
      const value = record.properties[column];
      return typeof value === 'string' ? value : (base[i] ?? '');
    });
  const out = [header];
  for (const row of rows.slice(1)) {
    const record = mine.get(row[0] ?? '');
    if (record === undefined) {
      out.push(row);
      continue;
    }
    mine.delete(row[0] ?? '');
    out.push(cellsOf(record, row));
  }
  for (const record of mine.values()) out.push(cellsOf(record, []));
  return `${out.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** RFC 4180 rows: quoted fields may hold commas, quotes (doubled) and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
