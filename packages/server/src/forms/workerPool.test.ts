// The worker pool behind the ODK engine fallback, compiles and exports (tinypool): one job held up
// in a worker (a slow form version) does not hold up the next, a job past its time limit is
// stopped and its worker replaced, and a job may talk with the main thread.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerPool } from './workerPool.js';

// A worker script in plain JS (a worker cannot load TypeScript) built on the real workerTask:
// `hold` blocks the worker's thread until the main thread writes 1 into the shared cell, as a
// form whose validation takes long would; `echo` answers at once; `ask` talks before answering.
const dir = mkdtempSync(join(tmpdir(), 'outpost-pool-'));
const script = pathToFileURL(join(dir, 'testWorker.mjs'));
const workerTaskJs = new URL('../../dist/forms/workerTask.js', import.meta.url).href;
writeFileSync(
  script,
  `import { workerTask } from ${JSON.stringify(workerTaskJs)};
export default workerTask(async (job, channel) => {
  if (job.hold) {
    const cell = new Int32Array(job.hold);
    while (Atomics.load(cell, 0) === 0) Atomics.wait(cell, 0, 0, 50);
    return 'held';
  }
  if (job.forever) for (;;) {}
  if (job.ask) {
    const answer = new Promise((resolve) => channel.onAnswer(resolve));
    channel.say({ question: job.ask });
    channel.say({ final: await answer });
    return 'asked';
  }
  return 'echo ' + job.echo;
});
`,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the worker pool', () => {
  it('answers a quick job while another worker is held up by a slow one', async () => {
    const pool = createWorkerPool({ script, size: 2, maxHeapMb: 64 });
    const cell = new SharedArrayBuffer(4);
    const finished: string[] = [];
    const slow = pool.run<string>({ hold: cell }, 120_000).then((outcome) => {
      finished.push('slow');
      return outcome;
    });
    const quick = await pool.run<string>({ echo: 'other form' }, 120_000);
    finished.push('quick');
    expect(quick).toEqual({ ok: true, value: 'echo other form' });
    expect(finished).toEqual(['quick']);
    Atomics.store(new Int32Array(cell), 0, 1);
    expect(await slow).toEqual({ ok: true, value: 'held' });
    expect(finished).toEqual(['quick', 'slow']);
  }, 120_000);

  it('with one worker, a job waits for the one before it', async () => {
    const pool = createWorkerPool({ script, size: 1, maxHeapMb: 64 });
    const cell = new SharedArrayBuffer(4);
    const finished: string[] = [];
    const slow = pool.run<string>({ hold: cell }, 120_000).then(() => finished.push('slow'));
    const quick = pool.run<string>({ echo: 'x' }, 120_000).then(() => finished.push('quick'));
    // Give the quick job every chance to overtake (it cannot: the only worker is held).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(finished).toEqual([]);
    Atomics.store(new Int32Array(cell), 0, 1);
    await Promise.all([slow, quick]);
    expect(finished).toEqual(['slow', 'quick']);
  }, 120_000);

  it('stops a job past its time limit and runs the next one on a fresh worker', async () => {
    const pool = createWorkerPool({ script, size: 1, maxHeapMb: 64 });
    expect(await pool.run({ forever: true }, 200)).toEqual({ ok: false, reason: 'timeout' });
    expect(await pool.run({ echo: 'after' }, 120_000)).toEqual({ ok: true, value: 'echo after' });
  }, 120_000);

  it('carries a conversation and ends the job with the answer to its last message', async () => {
    const pool = createWorkerPool({ script, size: 1, maxHeapMb: 64 });
    const heard: unknown[] = [];
    const outcome = await pool.run<string>({ ask: 'page?' }, 120_000, (message, post) => {
      heard.push(message);
      if ((message as { question?: string }).question !== undefined) post('rows');
      if ((message as { final?: string }).final !== undefined) return { done: 'finished' };
      return undefined;
    });
    expect(outcome).toEqual({ ok: true, value: 'finished' });
    expect(heard).toEqual([{ question: 'page?' }, { final: 'rows' }]);
  }, 120_000);
});
