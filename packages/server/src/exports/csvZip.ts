import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { csvField } from '../csv/csvField.js';
import type { ExportedSubmission } from '../storage/queries/exports.js';
import { headerOf, rowCells, submissionRows } from './exportRows.js';
import type { Projection } from './exportRows.js';
import type { ExportTable } from './exportShape.js';
import { DeflatedZipEntry, NativeZipDeflate, RawDeflater, zipTo } from './nativeZipDeflate.js';

/** A submission as the export reads it: its data already redacted for whoever exports. */
export type ReadableSubmission = ExportedSubmission & { projection: Projection };

/** The pages of one export's submissions, read afresh on each call. */
export type Pages = () => AsyncGenerator<ReadableSubmission[]>;

const REPLAY = 256 * 1024;

/** A repeat's table, compressed to a private file while the root table streams out. */
interface Spilled {
  readonly table: ExportTable;
  readonly file: string;
  readonly fd: number;
  readonly deflater: RawDeflater;
}

const line = (cells: readonly string[]): string => `${cells.map(csvField).join(',')}\r\n`;

/**
 * ODK Central's `.csv.zip` in one pass over the submissions: the root table streams into the
 * archive as it is built; a ZIP holds its entries one after another, so each repeat's table is
 * compressed meanwhile into a private temporary file (0600, in a 0700 folder, removed at the end)
 * and copied into the archive after the root, still compressed. Memory stays one page and one
 * compression block per table, whatever the number of submissions; the temporary files hold the
 * repeats' compressed tables.
 */
export async function writeCsvZip(
  pages: Pages,
  tables: readonly ExportTable[],
  out: Writable,
  progress: (n: number) => void,
): Promise<void> {
  const root = tables[0];
  if (root === undefined) return;
  const { zip, flush, end } = zipTo(out);
  const folder = await mkdtemp(path.join(tmpdir(), 'outpost-export-'));
  const spilled: Spilled[] = [];
  try {
    for (const [i, table] of tables.slice(1).entries()) {
      const file = path.join(folder, `${i}.deflate`);
      const fd = openSync(file, 'w', 0o600);
      spilled.push({ table, file, fd, deflater: new RawDeflater((chunk) => writeSync(fd, chunk)) });
    }
    const rootEntry = new NativeZipDeflate(`${root.name}.csv`);
    zip.add(rootEntry);
    rootEntry.pushText(line(headerOf(root)));
    for (const s of spilled) s.deflater.pushText(line(headerOf(s.table)));
    const byName = new Map(spilled.map((s) => [s.table.name, s]));
    for await (const page of pages()) {
      for (const s of page) {
        for (const row of submissionRows(s.projection, s.instanceId, tables)) {
          if (row.table === root.name) rootEntry.pushText(line(rowCells(row, root, s)));
          else {
            const to = byName.get(row.table);
            to?.deflater.pushText(line(rowCells(row, to.table, s)));
          }
        }
      }
      progress(page.length);
      await flush();
    }
    rootEntry.pushText('', true);
    await flush();
    for (const s of spilled) {
      s.deflater.pushText('', true);
      const entry = new DeflatedZipEntry(`${s.table.name}.csv`, s.deflater.size, s.deflater.crc);
      zip.add(entry);
      await replay(s.file, entry, flush);
    }
    await end();
  } finally {
    for (const s of spilled) closeSync(s.fd);
    await rm(folder, { recursive: true, force: true });
  }
}

async function replay(file: string, entry: DeflatedZipEntry, flush: () => Promise<void>): Promise<void> {
  const fd = openSync(file, 'r');
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(REPLAY);
      const read = readSync(fd, buffer, 0, REPLAY, null);
      entry.push(buffer.subarray(0, read), read === 0);
      await flush();
      if (read === 0) return;
    }
  } finally {
    closeSync(fd);
  }
}
