// The worker side of workerPool.ts: what a worker script exports as its default, for tinypool.
import type { MessagePort, TransferListItem } from 'node:worker_threads';

/**
 * What the task itself says on the job's port: `started` first (the pool starts the job's time
 * limit), `ended` last (the pool answers `ended` once it has seen every message before it, and only
 * then does the task return: the result travels on tinypool's own port, which keeps no order with
 * this one).
 */
export interface JobSignal {
  outpostJob: 'started' | 'ended';
}

export const isJobSignal = (message: unknown): message is JobSignal =>
  typeof message === 'object' && message !== null && 'outpostJob' in message;

/** A job's line to the main thread, for jobs that talk (see WorkerConversation). */
export interface JobChannel {
  say(message: unknown, transfer?: TransferListItem[]): void;
  /** Every answer the main thread posts. */
  onAnswer(listener: (answer: unknown) => void): void;
}

/**
 * A worker script's task: `run(job, channel)` does one job; what it returns (a structured-clone
 * value) is the job's result.
 */
export function workerTask<J, R>(
  run: (job: J, channel: JobChannel) => Promise<R>,
): (task: { job: J; port: MessagePort }) => Promise<R> {
  return async ({ job, port }) => {
    const listeners: Array<(answer: unknown) => void> = [];
    let acknowledged: (() => void) | null = null;
    port.on('message', (message: unknown) => {
      if (isJobSignal(message)) acknowledged?.();
      else for (const listener of listeners) listener(message);
    });
    const signal = (outpostJob: JobSignal['outpostJob']): void => port.postMessage({ outpostJob } satisfies JobSignal);
    signal('started');
    const channel: JobChannel = {
      say: (message, transfer = []) => port.postMessage(message, transfer),
      onAnswer: (listener) => listeners.push(listener),
    };
    try {
      const result = await run(job, channel);
      await new Promise<void>((resolve) => {
        acknowledged = resolve;
        signal('ended');
      });
      return result;
    } finally {
      port.close();
    }
  };
}
