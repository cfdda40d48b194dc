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

/** The summary in the current language. */
export function summaryText(find: (key: string) => string | undefined, summary: SyncSummary): string {
  const template = find(summary.key) ?? summary.key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = summary.params[name];
    return value === undefined ? whole : String(value);
  });
}

// Hand-made: Chromium's ICU has no Mongolian data, so Intl would print English unit names.
const byteUnits: Readonly<Record<string, readonly string[]>> = {
  mn: ['Б', 'кБ', 'МБ', 'ГБ'],
  en: ['B', 'kB', 'MB', 'GB'],
  tpi: ['B', 'kB', 'MB', 'GB'],
};
const timeUnits: Readonly<Record<string, readonly [string, string]>> = {
  mn: ['сек', 'мин'],
  en: ['s', 'min'],
  tpi: ['sekan', 'minit'],
};

/** Bytes with a unit, e.g. "1.2 MB", "1.2 МБ". */
export function formatBytes(bytes: number, language: string): string {
  const units = byteUnits[language] ?? byteUnits['en'] ?? [];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit] ?? ''}`;
}

/** A duration in seconds or minutes, e.g. "40 s", "3 мин". */
export function formatDuration(ms: number, language: string): string {
  const [secondUnit, minuteUnit] = timeUnits[language] ?? timeUnits['en'] ?? ['s', 'min'];
  const seconds = Math.max(1, Math.round(ms / 1000));
  return seconds >= 90 ? `${Math.round(seconds / 60)} ${minuteUnit}` : `${seconds} ${secondUnit}`;
}
