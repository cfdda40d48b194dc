import { withRunnerLock } from '../storage/runnerLock.js';
import type { Store } from '../storage/store.js';
import { forceProcessBacklog } from './entityBacklog.js';

export interface BacklogSchedule {
  stop(): void;
}

/**
 * Forces held entity changes older than `delayMs` every `everyMs` (and once at start), in the
 * server process, so the backlog moves even when no device pushes (Central runs the same task on
 * its own schedule). Runs never overlap, in this process or across processes on one PostgreSQL
 * (storage/runnerLock.ts); a failed run is reported and the next one tries again.
 */
export function startBacklogSchedule(
  store: Store,
  options: { delayMs: number; everyMs?: number; now?: () => Date; onError?: (err: unknown) => void },
): BacklogSchedule {
  let running = false;
  const run = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      // Several server processes on one PostgreSQL: one of them runs it, the others skip this turn.
      await withRunnerLock('entity-backlog', store, () =>
        forceProcessBacklog(
          { now: (options.now ?? (() => new Date()))(), delayMs: options.delayMs, limit: 100 },
          store,
        ),
      );
    } catch (err) {
      options.onError?.(err);
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), options.everyMs ?? 15 * 60 * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
