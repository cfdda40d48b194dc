import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** What came back from a worker job, or why it was stopped. */
export type WorkerOutcome<T> = { ok: true; value: T } | { ok: false; reason: 'timeout' | 'memory' };

/**
 * For a job that talks with its worker: sees every message the worker posts and may answer it
 * through `post`. It returns `{ done: value }` for the message that ends the job, `undefined`
 * otherwise; a handler that throws or rejects ends the job with that error (the worker is stopped).
 */
export type WorkerConversation<T> = (
  message: unknown,
  post: (reply: unknown) => void,
) => { done: T } | undefined | Promise<undefined>;

export interface WorkerPool {
  /**
   * Runs one job on a free worker (waiting for one); a job past `timeLimitMs` is stopped. Without
   * `converse`, the worker's first message is the result.
   */
  run<T>(job: unknown, timeLimitMs: number, converse?: WorkerConversation<T>): Promise<WorkerOutcome<T>>;
}

/**
 * The worker script at `name` (a path under the package's source root, without extension, e.g.
 * `forms/compileWorker`). Built code runs the compiled file; tests that load this file from source
 * use its build (`npx tsc -b` first): a worker cannot load TypeScript.
 */
function workerScript(name: string): URL {
  const built = new URL(`../${name}.js`, import.meta.url);
  if (existsSync(built)) return built;
  return new URL(`../../dist/${name}.js`, import.meta.url);
}

/**
 * Up to `size` worker threads running `script` (see `workerScript`), each
 * doing one job at a time; more jobs wait. Idle workers are kept, so a job does not pay for
 * starting one (loading exceljs or the ODK engine takes seconds); a worker that timed out, ran out
 * of heap or failed is terminated and never reused. Idle workers never keep the process alive.
 */
export function createWorkerPool(options: { script: string; size: number; maxHeapMb: number }): WorkerPool {
  const idle: Worker[] = [];
  const waiting: Array<() => void> = [];
  let busy = 0;

  async function turn(): Promise<() => void> {
    if (busy >= options.size) await new Promise<void>((resolve) => waiting.push(resolve));
    busy += 1;
    return () => {
      busy -= 1;
      waiting.shift()?.();
    };
  }

  function start(): Worker {
    const worker = new Worker(workerScript(options.script), {
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb },
      // Plain built code: none of the parent's flags (a test runner's `--conditions source` would
      // send the worker to TypeScript sources it cannot load).
      execArgv: [],
      stdout: false,
      stderr: false,
    });
    worker.unref();
    return worker;
  }

  function once<T>(
    worker: Worker,
    job: unknown,
    timeLimitMs: number,
    converse: WorkerConversation<T> | undefined,
  ): Promise<WorkerOutcome<T>> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (outcome: WorkerOutcome<T> | Error, reusable: boolean): void => {
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
      const timer = setTimeout(() => settle({ ok: false, reason: 'timeout' }, false), timeLimitMs);
      const post = (reply: unknown): void => {
        if (!settled) worker.postMessage(reply);
      };
      const onMessage = (message: unknown): void => {
        if (converse === undefined) {
          settle({ ok: true, value: message as T }, true);
          return;
        }
        try {
          const answer = converse(message, post);
          if (answer instanceof Promise) {
            answer.catch((err: unknown) => settle(err instanceof Error ? err : new Error(String(err)), false));
          } else if (answer !== undefined) settle({ ok: true, value: answer.done }, true);
        } catch (err) {
          settle(err instanceof Error ? err : new Error(String(err)), false);
        }
      };
      const onError = (err: Error & { code?: string }): void => {
        if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') settle({ ok: false, reason: 'memory' }, false);
        else settle(err, false);
      };
      const onExit = (code: number): void =>
        settle(new Error(`the ${options.script} worker stopped (exit ${code})`), false);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(job);
    });
  }

  return {
    async run<T>(job: unknown, timeLimitMs: number, converse?: WorkerConversation<T>): Promise<WorkerOutcome<T>> {
      const done = await turn();
      try {
        return await once<T>(idle.pop() ?? start(), job, timeLimitMs, converse);
      } finally {
        done();
      }
    },
  };
}
