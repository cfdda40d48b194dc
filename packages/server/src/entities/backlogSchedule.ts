import type { Store } from '../storage/store.js';
import { forceProcessBacklog } from './entityBacklog.js';

export interface BacklogSchedule {
  stop(): void;
}

/**
 * Forces held entity changes older than `delayMs` every `everyMs` (and once at start), in the
 * server process, so the backlog moves even when no device pushes (Central runs the same task on
 * its own schedule). Runs never overlap; a failed run is reported and the next one tries again.
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
      await forceProcessBacklog(
        { now: (options.now ?? (() => new Date()))(), delayMs: options.delayMs, limit: 100 },
        store,
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
