import { monitorEventLoopDelay } from 'node:perf_hooks';

/** How the server watches its own event loop (issue 9: one request must never stall it). */
export const eventLoopWatchSettings = {
  /** Length of one measuring window. */
  windowMs: 1_000,
  /** A window whose longest stall passes this is logged as a warning. */
  warnAboveMs: 250,
};

export interface EventLoopReport {
  /** The longest stall of the last complete window, in milliseconds. */
  recentMaxMs: number;
  /** The longest stall since the server started listening. */
  maxMs: number;
}

export interface EventLoopWatch {
  report(): EventLoopReport;
  stop(): void;
}

/**
 * Measures event-loop delay with perf_hooks.monitorEventLoopDelay in windows of
 * `eventLoopWatchSettings.windowMs`, logging a warning for any window with a stall longer than
 * `warnAboveMs`. The figures are in /readyz; the abuse suite asserts on them.
 */
export function watchEventLoop(warn: (details: { eventLoopDelayMs: number }, message: string) => void): EventLoopWatch {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let recentMaxMs = 0;
  let maxMs = 0;
  const timer = setInterval(() => {
    recentMaxMs = Math.round(histogram.max / 1e6);
    histogram.reset();
    maxMs = Math.max(maxMs, recentMaxMs);
    if (recentMaxMs > eventLoopWatchSettings.warnAboveMs) {
      warn({ eventLoopDelayMs: recentMaxMs }, 'the event loop was blocked');
    }
  }, eventLoopWatchSettings.windowMs);
  timer.unref();
  return {
    report: () => ({ recentMaxMs, maxMs }),
    stop: () => {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
