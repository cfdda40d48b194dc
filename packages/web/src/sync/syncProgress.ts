import type { SyncProgress } from './SyncStatus.js';

/** What a sync step reports as it goes: the stage, and records and bytes moved. */
export interface SyncMeter {
  stage(next: SyncProgress['stage']): void;
  add(records: number, bytes: number, stillToCome?: number): void;
}

/**
 * Measures progress as the sync goes, for the bar and the time left: records and bytes done, the
 * total as far as known, and the time left from the throughput measured so far.
 */
export function createMeter(
  now: () => number,
  startedAt: number,
  pushTotal: number,
  publishProgress: (progress: SyncProgress) => void,
): SyncMeter {
  let recordsDone = 0;
  let bytesDone = 0;
  let recordsTotal = pushTotal;
  let stage: SyncProgress['stage'] = 'push';
  const publish = (): void => {
    const elapsed = now() - startedAt;
    const rate = elapsed > 0 ? recordsDone / elapsed : 0;
    const left = Math.max(recordsTotal - recordsDone, 0);
    publishProgress({
      stage,
      recordsDone,
      recordsTotal: Math.max(recordsTotal, recordsDone),
      bytesDone,
      bytesTotal: recordsDone > 0 ? Math.round((bytesDone / recordsDone) * Math.max(recordsTotal, recordsDone)) : null,
      etaMs: rate > 0 ? Math.round(left / rate) : left === 0 && recordsDone > 0 ? 0 : null,
    });
  };
  return {
    stage(next) {
      stage = next;
      publish();
    },
    add(records, bytes, stillToCome) {
      recordsDone += records;
      bytesDone += bytes;
      if (stillToCome !== undefined) recordsTotal = Math.max(recordsTotal, recordsDone + stillToCome);
      publish();
    },
  };
}
