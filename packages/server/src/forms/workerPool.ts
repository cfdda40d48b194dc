import { existsSync } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
import Tinypool from 'tinypool';
import { isJobSignal } from './workerTask.js';

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
   * Runs one job on a free worker (waiting for one); a job past `timeLimitMs` from its start on a
   * worker is stopped. Without `converse`, what the worker's task returns is the result.
   */
  run<T>(job: unknown, timeLimitMs: number, converse?: WorkerConversation<T>): Promise<WorkerOutcome<T>>;
}

/**
 * The worker script at `name` (a path under the package's source root, without extension, e.g.
 * `forms/compileWorker`, or a file's URL). Built code runs the compiled file; tests that load this file from source
 * use its build (`npx tsc -b` first): a worker cannot load TypeScript.
 */
function workerScript(name: string | URL): URL {
  if (name instanceof URL) return name;
  const built = new URL(`../${name}.js`, import.meta.url);
  if (existsSync(built)) return built;
  return new URL(`../../dist/${name}.js`, import.meta.url);
}

/** How long an idle worker is kept (its loaded engine or exceljs with it): the longest a timer may wait. */
const KEEP_IDLE_MS = 2 ** 31 - 1;

/**
 * Up to `size` worker threads running the task `script` exports (a `workerTask`, see
 * `workerScript`), in a tinypool pool (docs/adr/0019): each does one job at a time, more wait.
 * Idle workers are kept, so a job does not pay for starting one (loading exceljs or the ODK engine
 * takes seconds), and never keep the process alive; a worker that timed out, ran out of heap or was
 * stopped by its conversation is terminated and never reused. A job's time limit counts from the
 * moment a worker takes it up, not while it waits for one.
 */
export function createWorkerPool(options: { script: string | URL; size: number; maxHeapMb: number }): WorkerPool {
  let pool: Tinypool | null = null;
  // Started on the first job: a CLI command that never compiles starts no thread.
  const tinypool = (): Tinypool =>
    (pool ??= new Tinypool({
      filename: workerScript(options.script).href,
      minThreads: 0,
      maxThreads: options.size,
      idleTimeout: KEEP_IDLE_MS,
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb },
      // Plain built code: none of the parent's flags (a test runner's `--conditions source` would
      // send the worker to TypeScript sources it cannot load).
      execArgv: [],
      // A waiting worker keeps its event loop (no Atomics.wait between jobs).
      useAtomics: false,
    }));

  return {
    async run<T>(job: unknown, timeLimitMs: number, converse?: WorkerConversation<T>): Promise<WorkerOutcome<T>> {
      const { port1, port2 } = new MessageChannel();
      const stop = new AbortController();
      let stoppedFor: 'timeout' | Error | null = null;
      let timer: NodeJS.Timeout | undefined;
      let done: { value: T } | null = null;
      const end = (why: 'timeout' | Error): void => {
        stoppedFor ??= why;
        stop.abort();
      };
      const post = (reply: unknown): void => {
        if (stoppedFor === null) port1.postMessage(reply);
      };
      port1.on('message', (message: unknown) => {
        if (isJobSignal(message)) {
          if (message.outpostJob === 'started') timer = setTimeout(() => end('timeout'), timeLimitMs);
          else port1.postMessage(message);
          return;
        }
        if (converse === undefined || stoppedFor !== null) return;
        try {
          const answer = converse(message, post);
          if (answer instanceof Promise) {
            answer.catch((err: unknown) => end(err instanceof Error ? err : new Error(String(err))));
          } else if (answer !== undefined) done = { value: answer.done };
        } catch (err) {
          end(err instanceof Error ? err : new Error(String(err)));
        }
      });
      try {
        const value = (await tinypool().run({ job, port: port2 }, { transferList: [port2], signal: stop.signal })) as T;
        if (converse === undefined) return { ok: true, value };
        if (done === null) throw new Error(`the ${String(options.script)} worker ended without finishing its job`);
        return { ok: true, value: (done as { value: T }).value };
      } catch (err) {
        // Set by the port's listener while the job ran (TypeScript cannot see that).
        const why = stoppedFor as 'timeout' | Error | null;
        if (why === 'timeout') return { ok: false, reason: 'timeout' };
        if (why instanceof Error) throw why;
        if ((err as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY')
          return { ok: false, reason: 'memory' };
        throw err;
      } finally {
        clearTimeout(timer);
        port1.close();
      }
    },
  };
}
