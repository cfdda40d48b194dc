import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { CompiledWorkbook } from './compileWorkbook.js';

export type { CompiledWorkbook } from './compileWorkbook.js';
export { workbookLimits } from './compileWorkbook.js';

/** How long one compile may run, and how much heap it may take, before it is stopped. */
export const compileLimits = {
  timeLimitMs: 30_000,
  maxHeapMb: 512,
  /** Compiles running at once; more wait their turn (each holds a V8 isolate and a workbook). */
  concurrent: 2,
};

/**
 * The worker script. Built code runs the compiled sibling; tests that load this file from
 * source use the build of it (`npx tsc -b` first), since a worker thread cannot load TypeScript.
 */
function workerScript(): URL {
  const sibling = new URL('./compileWorker.js', import.meta.url);
  if (existsSync(sibling)) return sibling;
  return new URL('../../dist/forms/compileWorker.js', import.meta.url);
}

/**
 * Idle workers, kept so a compile does not pay for starting one (loading exceljs and the ODK
 * engine takes seconds). A worker that timed out or failed is terminated, never reused.
 */
const idle: Worker[] = [];
let running = 0;
const waiting: Array<() => void> = [];

async function turn(): Promise<() => void> {
  if (running >= compileLimits.concurrent) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  return () => {
    running -= 1;
    waiting.shift()?.();
  };
}

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
  const done = await turn();
  try {
    return await runJob(fileName, bytes, limits.timeLimitMs ?? compileLimits.timeLimitMs);
  } finally {
    done();
  }
}

function startWorker(): Worker {
  const worker = new Worker(workerScript(), {
    resourceLimits: { maxOldGenerationSizeMb: compileLimits.maxHeapMb },
    // Plain built code: none of the parent's flags (a test runner's `--conditions source` would
    // send the worker to TypeScript sources it cannot load).
    execArgv: [],
    stdout: false,
    stderr: false,
  });
  // An idle worker never keeps the process alive.
  worker.unref();
  return worker;
}

function runJob(fileName: string, bytes: Uint8Array, timeLimitMs: number): Promise<CompiledWorkbook> {
  const worker = idle.pop() ?? startWorker();
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: CompiledWorkbook | Error, reusable: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (reusable) idle.push(worker);
      else void worker.terminate();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(() => {
      const seconds = Math.round(timeLimitMs / 1000);
      settle(
        { ok: false, code: 'form.too-complex', detail: `Compiling did not finish within ${seconds} seconds.` },
        false,
      );
    }, timeLimitMs);
    const onMessage = (result: CompiledWorkbook): void => settle(result, true);
    const onError = (err: Error & { code?: string }): void => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        settle(
          { ok: false, code: 'form.too-large', detail: 'Compiling the workbook took more memory than allowed.' },
          false,
        );
      } else settle(err, false);
    };
    const onExit = (code: number): void => settle(new Error(`the compile worker stopped (exit code ${code})`), false);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ fileName, bytes });
  });
}
