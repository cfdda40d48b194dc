import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createWorkerPool } from '../forms/workerPool.js';
import { repeatPathsOf } from '../forms/formEngine.js';
import { appendAuditEvent, listFormVersions } from '../storage/index.js';
import type { Store } from '../storage/index.js';
import { submissionsAfter } from '../storage/queries/exports.js';
import type { ExportedSubmission } from '../storage/queries/exports.js';
import { exportTables } from './exportShape.js';
import { labelTables } from './exportLabels.js';
import type { ExportLanguage } from './exportLabels.js';
import type { DwcOptions } from './dwca.js';
import type { ExportMessage } from './exportWorker.js';
import { ExportError, exportPageSize } from './exportWriters.js';
import type { ExportFormat, ExportJob, ExportPolicy } from './exportWriters.js';
import type { ExportTable } from './exportShape.js';

export { ExportError, exportFormats } from './exportWriters.js';
export type { ExportFormat } from './exportWriters.js';
export { exportLanguages } from './exportLabels.js';
export type { ExportLanguage } from './exportLabels.js';

export interface ExportInput {
  readonly formId: string;
  readonly format: ExportFormat;
  readonly actorId: string | null;
  /** Called after each page with the submissions written so far (progress). */
  readonly onProgress?: (written: number) => void;
  /** For `dwca`: the archive's metadata and the terms the form does not carry. */
  readonly dwc?: DwcOptions;
  /**
   * Whose export it is: each submission is checked (`exports.run` on its case's scope) and
   * redacted for them, as the app shows it. Absent only for a trusted operator (the CLI).
   */
  readonly policy?: ExportPolicy;
  /**
   * Column headers and choice labels in this language (the form's default where it has no
   * translation); without it, names and values as ODK Central exports them.
   */
  readonly lang?: ExportLanguage;
  /** Stops the export (its worker is ended) when aborted; `exportForm` then rejects. */
  readonly signal?: AbortSignal;
}

/** How long one export may run and how much heap its worker may take; exports running at once. */
export const exportLimits = {
  timeLimitMs: 15 * 60_000,
  maxHeapMb: 512,
  concurrent: 2,
};

const pool = createWorkerPool({
  script: 'exports/exportWorker',
  size: exportLimits.concurrent,
  maxHeapMb: exportLimits.maxHeapMb,
});

/**
 * Answers the export worker: pages of submissions read here (the store stays on the main
 * thread), bytes written to `out`. A page is read only once `out` has drained, so at most one
 * page's rows and output are ever in flight however large the export and however slow the reader.
 */
function conversation(
  formId: string,
  store: Store,
  out: Writable,
  progress: (n: number) => void,
  signal: AbortSignal | undefined,
) {
  const pages = pagesAhead(formId, store);
  return (message: unknown, post: (reply: unknown) => void): { done: null } | undefined | Promise<undefined> => {
    const said = message as ExportMessage;
    if (signal?.aborted === true) throw new Error('the export was cancelled');
    if (said.kind === 'chunk') {
      if (out.destroyed) throw new Error('the export’s reader went away');
      out.write(said.bytes);
      return undefined;
    }
    if (said.kind === 'progress') {
      progress(said.submissions);
      return undefined;
    }
    if (said.kind === 'done') return { done: null };
    if (said.kind === 'refused') throw new ExportError(said.message);
    return (async () => {
      if (out.writableNeedDrain) await once(out, 'drain');
      if (out.destroyed) throw new Error('the export’s reader went away');
      post({ rows: await pages.after(said.after) });
      return undefined;
    })();
  };
}

/**
 * Pages of a form's submissions, each next one read while the worker builds the last: the main
 * thread's reads and the worker's writing overlap, and never more than one page waits ahead.
 */
function pagesAhead(formId: string, store: Store) {
  let ahead: { after: number; rows: Promise<ExportedSubmission[]> } | null = null;
  const read = (after: number, later = false) => {
    // Ahead: started after this page has been posted, so the worker is not kept waiting for it.
    const rows = later
      ? new Promise<ExportedSubmission[]>((resolve, reject) =>
          setImmediate(() => void submissionsAfter(formId, after, exportPageSize, store).then(resolve, reject)),
        )
      : submissionsAfter(formId, after, exportPageSize, store);
    rows.catch(() => undefined); // a page read ahead and never asked for must not go unhandled
    return { after, rows };
  };
  return {
    async after(after: number): Promise<ExportedSubmission[]> {
      const page = ahead?.after === after ? ahead : read(after);
      ahead = null;
      const rows = await page.rows;
      const last = rows.at(-1);
      // Each table is one pass from the start: the page after a short (last) page is never asked.
      if (last !== undefined && rows.length === exportPageSize) ahead = read(last.seq, true);
      return rows;
    },
  };
}

function labelled(tables: ExportTable[], xform: string, lang: ExportLanguage | undefined): ExportTable[] {
  return lang === undefined ? tables : labelTables(tables, xform, lang);
}

/**
 * Writes a form's submissions to `out` in one of `exportFormats` (see `writeExport`). The rows,
 * redaction and file writing run in a worker thread with a time and heap limit, so an export of
 * any size leaves the event loop free; the submissions are read here, a page at a time, and the
 * bytes come back as they are written. The newest version's fields name the columns; the export
 * is audited. Throws `ExportError` for a request the form cannot satisfy.
 */
export async function exportForm(input: ExportInput, store: Store, out: Writable): Promise<{ submissions: number }> {
  const versions = await listFormVersions(input.formId, store);
  const latest = versions[0];
  if (latest === undefined) throw new Error(`form ${input.formId} has no version`);
  const job: ExportJob = {
    format: input.format,
    tables: labelled(exportTables(latest.summary, repeatPathsOf(latest.xform)), latest.xform, input.lang),
    version: { summary: latest.summary, xform: latest.xform },
    ...(input.dwc ? { dwc: input.dwc } : {}),
    ...(input.policy ? { policy: input.policy } : {}),
  };
  let written = 0;
  const progress = (n: number): void => {
    written += n;
    input.onProgress?.(written);
  };
  const outcome = await pool.run(
    { job },
    exportLimits.timeLimitMs,
    conversation(input.formId, store, out, progress, input.signal),
  );
  if (!outcome.ok) {
    throw new Error(
      outcome.reason === 'memory'
        ? 'the export took more memory than allowed'
        : `the export did not finish within ${Math.round(exportLimits.timeLimitMs / 60_000)} minutes`,
    );
  }
  await appendAuditEvent(
    {
      actorId: input.actorId,
      action: 'submissions.export',
      subject: input.formId,
      details: {
        form: latest.xmlFormId,
        format: input.format,
        submissions: written,
        ...(input.lang ? { lang: input.lang } : {}),
      },
    },
    store,
  );
  return { submissions: written };
}
