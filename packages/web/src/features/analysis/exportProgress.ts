import type { AnalysisApi, ExportJob } from '../../api/AnalysisApi.js';

/** A running export being watched: it can be cancelled (the server stops it) or just left. */
export interface ExportWatch {
  /** Asks the server to stop the export and stops watching; the last update says `cancelled`. */
  cancel(): Promise<void>;
  /** Stops watching (the screen was left); the export runs on. */
  stop(): void;
}

/**
 * Asks for an export's progress every `intervalMs` until it is no longer running, telling
 * `onUpdate` each answer (rows written of the total) and `onError` a failed request (watching
 * stops then).
 */
export function watchExport(
  api: Pick<AnalysisApi, 'exportProgress' | 'cancelExport'>,
  projectId: string,
  job: ExportJob,
  handlers: { onUpdate: (job: ExportJob) => void; onError: (error: unknown) => void },
  intervalMs = 500,
): ExportWatch {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = job;
  const poll = async (): Promise<void> => {
    if (stopped) return;
    try {
      const now = await api.exportProgress(projectId, job.id);
      if (stopped) return;
      latest = now;
      handlers.onUpdate(now);
      if (now.state === 'running') timer = setTimeout(() => void poll(), intervalMs);
    } catch (error) {
      if (!stopped) handlers.onError(error);
    }
  };
  const stop = (): void => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
  if (job.state === 'running') timer = setTimeout(() => void poll(), intervalMs);
  return {
    stop,
    async cancel() {
      stop();
      await api.cancelExport(projectId, job.id);
      handlers.onUpdate({ ...latest, state: 'cancelled' });
    },
  };
}

/** How far an export is, 0–100: written of total (a finished one is 100 whatever the policy left out). */
export function exportPercent(job: ExportJob): number {
  if (job.state === 'done') return 100;
  if (job.total <= 0) return 0;
  return Math.min(100, Math.floor((job.written * 100) / job.total));
}
