import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import type { Store } from '../storage/index.js';
import { countCurrentSubmissions } from '../storage/queries/exports.js';
import { exportForm } from './exportForm.js';
import type { ExportInput } from './exportForm.js';

/** What the web app shows of an export it started: where it is and, when done, its file's name. */
export interface ExportJobView {
  readonly id: string;
  readonly state: 'running' | 'done' | 'failed' | 'cancelled';
  /** Submissions written so far, and how many the form has (before the policy's row rules). */
  readonly written: number;
  readonly total: number;
  readonly format: string;
  readonly fileName: string;
  /** For a failed export: why, in words meant for the person (an ExportError's message). */
  readonly error: string | null;
}

interface ExportJob {
  view: ExportJobView;
  readonly userId: string;
  readonly projectId: string;
  readonly dir: string;
  readonly file: string;
  readonly controller: AbortController;
  /** When the job ended; the file is dropped an hour later if nobody fetched it. */
  endedAt: number | null;
}

/** Exports one person may have unfinished at once; more wait for one to end. */
export const exportJobLimits = { perUser: 2, keepMs: 60 * 60_000 };

const jobs = new Map<string, ExportJob>();

function sweep(now: number): void {
  for (const [id, job] of jobs) {
    if (job.endedAt !== null && now - job.endedAt > exportJobLimits.keepMs) void forget(id);
  }
}

async function forget(id: string): Promise<void> {
  const job = jobs.get(id);
  if (job === undefined) return;
  jobs.delete(id);
  await rm(job.dir, { recursive: true, force: true });
}

/** The running exports of one person (at most `exportJobLimits.perUser`). */
export function runningExports(userId: string): number {
  let n = 0;
  for (const job of jobs.values()) if (job.userId === userId && job.view.state === 'running') n++;
  return n;
}

/**
 * Starts `exportForm` into a private temporary file and returns at once: the web app asks for its
 * progress (`exportJob`), may cancel it (`cancelExportJob`) and fetches the file once done
 * (`exportJobFile`). Jobs live in this process only (a restart forgets them, as a download in
 * progress would be lost); each person sees only their own.
 */
export async function startExportJob(
  input: Omit<ExportInput, 'onProgress' | 'signal'> & { readonly userId: string; readonly projectId: string },
  fileName: string,
  store: Store,
): Promise<ExportJobView> {
  sweep(Date.now());
  const dir = await mkdtemp(path.join(tmpdir(), 'outpost-export-'));
  const file = path.join(dir, 'export');
  const controller = new AbortController();
  const total = await countCurrentSubmissions(input.formId, store);
  const job: ExportJob = {
    view: { id: randomUUID(), state: 'running', written: 0, total, format: input.format, fileName, error: null },
    userId: input.userId,
    projectId: input.projectId,
    dir,
    file,
    controller,
    endedAt: null,
  };
  jobs.set(job.view.id, job);
  const out = createWriteStream(file, { mode: 0o600 });
  const end = (state: ExportJobView['state'], error: string | null = null): void => {
    if (job.view.state === 'running') job.view = { ...job.view, state, error };
    job.endedAt = Date.now();
  };
  exportForm(
    {
      ...input,
      signal: controller.signal,
      onProgress: (written) => {
        job.view = { ...job.view, written };
      },
    },
    store,
    out,
  ).then(
    async () => {
      out.end();
      await finished(out);
      end('done');
    },
    (err: unknown) => {
      out.destroy();
      if (controller.signal.aborted) end('cancelled');
      else end('failed', err instanceof Error ? err.message : String(err));
    },
  );
  return job.view;
}

function own(id: string, userId: string, projectId: string): ExportJob | undefined {
  const job = jobs.get(id);
  return job !== undefined && job.userId === userId && job.projectId === projectId ? job : undefined;
}

/** An export this person started in this project; undefined for any other. */
export function exportJob(id: string, userId: string, projectId: string): ExportJobView | undefined {
  return own(id, userId, projectId)?.view;
}

/** Stops a running export and drops its file; false when there is no such export of theirs. */
export async function cancelExportJob(id: string, userId: string, projectId: string): Promise<boolean> {
  const job = own(id, userId, projectId);
  if (job === undefined) return false;
  job.controller.abort();
  if (job.view.state === 'running') job.view = { ...job.view, state: 'cancelled' };
  job.endedAt ??= Date.now();
  await forget(id);
  return true;
}

/**
 * The finished file of an export (kept an hour after it ended, or until cancelled): `missing` for
 * no such export of theirs, `not-ready` while it runs or after it failed.
 */
export function exportJobFile(
  id: string,
  userId: string,
  projectId: string,
): { path: string; view: ExportJobView } | 'missing' | 'not-ready' {
  const job = own(id, userId, projectId);
  if (job === undefined) return 'missing';
  if (job.view.state !== 'done') return 'not-ready';
  return { path: job.file, view: job.view };
}
