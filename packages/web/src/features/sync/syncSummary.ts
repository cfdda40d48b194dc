import type { MessageKey } from '../../i18n/en.js';
import type { SyncStatus } from '../../sync/SyncStatus.js';

export type SyncTone = 'ok' | 'pending' | 'busy' | 'offline' | 'error';

export interface SyncSummary {
  readonly tone: SyncTone;
  readonly key: MessageKey;
  readonly params: Readonly<Record<string, string | number>>;
}

/**
 * The one line the header shows. "Synced" only when the last sync finished every step and nothing
 * waits or was refused; a failure keeps showing until a later sync succeeds in full.
 */
export function syncSummary(status: SyncStatus, formatTime: (iso: string) => string): SyncSummary {
  if (status.phase === 'wiped') return { tone: 'error', key: 'sync.state.wiped', params: {} };
  if (status.phase === 'syncing') {
    const progress = status.progress;
    if (progress !== null && progress.recordsTotal > 0) {
      const percent = Math.min(99, Math.floor((progress.recordsDone / progress.recordsTotal) * 100));
      return { tone: 'busy', key: 'sync.state.syncingPercent', params: { percent } };
    }
    return { tone: 'busy', key: 'sync.state.syncing', params: {} };
  }
  if (status.phase === 'offline') {
    return status.pending > 0
      ? { tone: 'offline', key: 'sync.state.offlinePending', params: { count: status.pending } }
      : { tone: 'offline', key: 'sync.state.offline', params: {} };
  }
  if (status.error !== null) return { tone: 'error', key: 'sync.state.failed', params: {} };
  if (status.rejected > 0) return { tone: 'error', key: 'sync.state.rejected', params: { count: status.rejected } };
  if (status.pending > 0) return { tone: 'pending', key: 'sync.state.pending', params: { count: status.pending } };
  if (status.lastSuccessAt === null) return { tone: 'pending', key: 'sync.state.never', params: {} };
  return { tone: 'ok', key: 'sync.state.synced', params: { time: formatTime(status.lastSuccessAt) } };
}

/** Bytes in the user's language ("1.2 MB", "1,2 МБ"). */
export function formatBytes(bytes: number, language: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  try {
    return new Intl.NumberFormat(language, {
      style: 'unit',
      unit: units[unit],
      unitDisplay: 'short',
      maximumFractionDigits: unit === 0 ? 0 : 1,
    }).format(value);
  } catch {
    return `${value.toFixed(unit === 0 ? 0 : 1)} ${['B', 'kB', 'MB', 'GB'][unit]}`;
  }
}

/** A duration in minutes or seconds, in the user's language. */
export function formatDuration(ms: number, language: string): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  const [value, unit] = seconds >= 90 ? [Math.round(seconds / 60), 'minute'] : [seconds, 'second'];
  try {
    return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
  } catch {
    return `${value} ${unit === 'minute' ? 'min' : 's'}`;
  }
}
