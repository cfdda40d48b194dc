import type { CompiledWorkbook } from './compileWorkbook.js';
import { createWorkerPool } from './workerPool.js';

export type { CompiledWorkbook } from './compileWorkbook.js';
export { workbookLimits } from './compileWorkbook.js';

/** How long one compile may run, and how much heap it may take, before it is stopped. */
export const compileLimits = {
  timeLimitMs: 30_000,
  maxHeapMb: 512,
  /** Compiles running at once; more wait their turn (each holds a V8 isolate and a workbook). */
  concurrent: 2,
};

const pool = createWorkerPool({
  script: 'forms/compileWorker',
  size: compileLimits.concurrent,
  maxHeapMb: compileLimits.maxHeapMb,
});

/**
 * Reads, bounds and compiles an XLSForm, and checks that the ODK engine loads the result, in a
 * worker thread with a time and heap limit: the one way the server and the CLI compile a workbook
 * (publish, dry run, `outpost form compile`). The event loop stays free however large or hostile
 * the workbook; a compile that runs out of time or memory is stopped and refused.
 */
export async function compileInWorker(
  fileName: string,
  bytes: Uint8Array,
  limits: { timeLimitMs?: number } = {},
): Promise<CompiledWorkbook> {
  const timeLimitMs = limits.timeLimitMs ?? compileLimits.timeLimitMs;
  const outcome = await pool.run<CompiledWorkbook>({ fileName, bytes }, timeLimitMs);
  if (outcome.ok) return outcome.value;
  if (outcome.reason === 'memory') {
    return { ok: false, code: 'form.too-large', detail: 'Compiling the workbook took more memory than allowed.' };
  }
  const seconds = Math.round(timeLimitMs / 1000);
  return { ok: false, code: 'form.too-complex', detail: `Compiling did not finish within ${seconds} seconds.` };
}
