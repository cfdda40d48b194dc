import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { FormSummary, PolicyActor, PolicyCatalogue } from '@outpost/core';
import { submissionView } from '../policy/submissionView.js';
import type { ExportedSubmission } from '../storage/queries/exports.js';
import { neutralizeFormula } from '../csv/csvField.js';
import type { ExportTable } from './exportShape.js';
import { headerOf, rowCells, submissionRows, valueAt } from './exportRows.js';
import { writeCsvZip } from './csvZip.js';
import { dwcFields, emlXml, metaXml, occurrenceRow, OCCURRENCE_TERMS, sensitiveSpecies } from './dwca.js';
import type { DwcOptions } from './dwca.js';
import type { Projection } from './exportRows.js';
import { NativeZipDeflate, zipTo } from './nativeZipDeflate.js';
import type { Pages, ReadableSubmission } from './csvZip.js';

// The building half of an export: submissions in (page by page, from whoever reads the store),
// files out. It runs in the export worker (exportWorker.ts), so nothing here reads the store.

export type ExportFormat = 'csv' | 'xlsx' | 'geojson' | 'dwca';
export const exportFormats: readonly ExportFormat[] = ['csv', 'xlsx', 'geojson', 'dwca'];

/** Whose export it is: each submission is checked (`exports.run`) and redacted for them. */
export interface ExportPolicy {
  readonly actor: PolicyActor;
  readonly catalogue: PolicyCatalogue;
  readonly projectId: string;
}

/** Everything an export needs besides the submissions: plain data, so it crosses to a worker. */
export interface ExportJob {
  readonly format: ExportFormat;
  readonly tables: readonly ExportTable[];
  readonly version: { readonly summary: FormSummary; readonly xform: string };
  readonly dwc?: DwcOptions;
  readonly policy?: ExportPolicy;
}

/** The page of submissions after `afterSeq` (empty at the end), at most `exportPageSize` long. */
export type PageSource = (afterSeq: number) => Promise<ExportedSubmission[]>;

/** A request the form cannot satisfy (no Darwin Core fields, missing metadata): a 4xx or a CLI message. */
export class ExportError extends Error {}

/** Submissions read per query: memory stays flat whatever the form's size. */
export const exportPageSize = 100;

type Readable = ReadableSubmission;

function visible(s: ExportedSubmission, policy: ExportPolicy | undefined): Readable | null {
  if (policy === undefined) return { ...s, projection: JSON.parse(s.data) as Projection };
  const data = submissionView(s, policy, 'exports.run');
  return data === null ? null : { ...s, projection: data as Projection };
}

async function* submissions(source: PageSource, policy: ExportPolicy | undefined): AsyncGenerator<Readable[]> {
  let after = 0;
  for (;;) {
    const page = await source(after);
    if (page.length === 0) return;
    yield page.map((s) => visible(s, policy)).filter((s): s is Readable => s !== null);
    after = page.at(-1)?.seq ?? after;
  }
}

/** Each table's rows over all submissions: one pass per table keeps every writer sequential. */
async function eachTableRow(
  pages: Pages,
  table: ExportTable,
  tables: readonly ExportTable[],
  write: (cells: string[]) => Promise<void>,
  onPage?: (count: number) => void,
): Promise<void> {
  // Rows are built only for the tables on the way down to this one, not for its siblings.
  const chain: ExportTable[] = [];
  for (let t: ExportTable | undefined = table; t !== undefined; t = tables.find((p) => p.path === t?.parent)) {
    chain.unshift(t);
  }
  for await (const page of pages()) {
    for (const s of page) {
      for (const row of submissionRows(s.projection, s.instanceId, chain)) {
        if (row.table === table.name) await write(rowCells(row, table, s));
      }
    }
    onPage?.(page.length);
  }
}

async function writeChunk(out: Writable, chunk: Uint8Array | string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

async function writeXlsx(
  pages: Pages,
  tables: readonly ExportTable[],
  out: Writable,
  progress: (n: number) => void,
): Promise<void> {
  // Loaded only for a workbook: exceljs takes seconds to load, and most exports are CSV.
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  for (const [i, table] of tables.entries()) {
    // Excel's sheet names: at most 31 characters, no []:*?/\.
    const sheet = book.addWorksheet(table.name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31));
    sheet.addRow(headerOf(table)).commit();
    await eachTableRow(
      pages,
      table,
      tables,
      (cells) => {
        sheet.addRow(cells.map(neutralizeFormula)).commit();
        return Promise.resolve();
      },
      i === 0 ? progress : undefined,
    );
    sheet.commit();
  }
  await book.commit();
}

async function writeDwca(
  pages: Pages,
  version: { summary: FormSummary; xform: string },
  options: DwcOptions,
  out: Writable,
  progress: (n: number) => void,
): Promise<void> {
  const fields = dwcFields(version.summary);
  if (typeof fields === 'string') throw new ExportError(fields);
  const sensitive = sensitiveSpecies(version.xform);
  const { zip, flush, end } = zipTo(out);
  const occurrences = new NativeZipDeflate('occurrence.txt');
  zip.add(occurrences);
  occurrences.pushText(`${OCCURRENCE_TERMS.join('\t')}\n`);
  for await (const page of pages()) {
    for (const s of page) {
      const row = occurrenceRow((path) => valueAt(s.projection, path), s.instanceId, fields, sensitive, options);
      if (row !== null) occurrences.pushText(`${row.join('\t')}\n`);
    }
    progress(page.length);
    await flush();
  }
  occurrences.pushText('', true);
  for (const [name, text] of [
    ['meta.xml', metaXml()],
    ['eml.xml', emlXml(options, `outpost:${version.summary.formId}:${options.pubDate}`)],
  ] as const) {
    const file = new NativeZipDeflate(name);
    zip.add(file);
    file.pushText(text, true);
  }
  await end();
}

/** `lat lon alt acc; …` as GeoJSON positions, longitude first. */
function positions(text: string): number[][] {
  return text
    .split(';')
    .map((p) => p.trim().split(/\s+/).map(Number))
    .filter((p) => p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]))
    .map((p) => [p[1] ?? 0, p[0] ?? 0]);
}

function geometry(type: string, text: string): object | null {
  const coords = positions(text);
  if (coords.length === 0) return null;
  if (type === 'geopoint') return { type: 'Point', coordinates: coords[0] };
  if (type === 'geotrace') return coords.length >= 2 ? { type: 'LineString', coordinates: coords } : null;
  if (type === 'geoshape') return coords.length >= 4 ? { type: 'Polygon', coordinates: [coords] } : null;
  return null;
}

async function writeGeoJson(
  pages: Pages,
  summary: FormSummary,
  tables: readonly ExportTable[],
  out: Writable,
  progress: (n: number) => void,
): Promise<void> {
  const root = tables[0];
  if (root === undefined) return;
  const geo = summary.fields.find((f) => /^geo(point|trace|shape)\b/.test(f.type) && !f.repeat);
  const geoSteps = geo?.path.slice(root.path.length + 1);
  const geoStart = root.columns.findIndex((c) => c.steps.join('/') === geoSteps);
  const type = geo?.type.split(/\s+/)[0] ?? '';
  await writeChunk(out, '{"type":"FeatureCollection","features":[');
  let first = true;
  for await (const page of pages()) {
    for (const s of page) {
      // Only the submission's own row: repeats do not go into a feature.
      const [row] = submissionRows(s.projection, s.instanceId, [root]);
      if (row === undefined || geoStart < 0) continue;
      const text =
        type === 'geopoint' ? row.values.slice(geoStart, geoStart + 4).join(' ') : (row.values[geoStart] ?? '');
      const properties: Record<string, string> = { instanceID: s.instanceId, SubmissionDate: s.receivedAt };
      root.columns.forEach((c, i) => {
        if (c.type !== 'geopoint' && c.type !== 'geotrace' && c.type !== 'geoshape')
          properties[c.header] = row.values[i] ?? '';
      });
      const feature = { type: 'Feature', id: s.instanceId, geometry: geometry(type, text), properties };
      await writeChunk(out, `${first ? '' : ','}\n${JSON.stringify(feature)}`);
      first = false;
    }
    progress(page.length);
  }
  await writeChunk(out, '\n]}\n');
}

/**
 * Writes a form's submissions to `out`: ODK Central's `.csv.zip` (a root table and one table per
 * repeat joined by KEY and PARENT_KEY), an .xlsx with a sheet per table, or GeoJSON (one feature
 * per submission from its first location question), or a Darwin Core Archive of the occurrences
 * an observation form records (sensitive species generalised). Each table is one pass over the
 * pages, so memory stays flat whatever the number of submissions. `progress` gets each page's
 * count of submissions written.
 */
export async function writeExport(
  job: ExportJob,
  source: PageSource,
  out: Writable,
  progress: (n: number) => void,
): Promise<void> {
  const pages: Pages = () => submissions(source, job.policy);
  const { tables } = job;
  if (job.format === 'csv') await writeCsvZip(pages, tables, out, progress);
  else if (job.format === 'xlsx') await writeXlsx(pages, tables, out, progress);
  else if (job.format === 'dwca') {
    if (job.dwc === undefined)
      throw new ExportError('a Darwin Core Archive needs its metadata (country, publisher, licence…)');
    await writeDwca(pages, job.version, job.dwc, out, progress);
  } else await writeGeoJson(pages, job.version.summary, tables, out, progress);
}
