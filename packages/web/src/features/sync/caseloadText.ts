import type { CaseloadWarning } from '../../sync/SyncStatus.js';

// Hand-made: Chromium's ICU has no Mongolian data, so Intl would fall back to English grouping.
const groupSeparators: Readonly<Record<string, string>> = { en: ',', mn: '\u00a0', tpi: ',' };

/** A count with its thousands grouped the way the language writes them: "100,000", "100 000". */
export function formatCount(count: number, language: string): string {
  const separator = groupSeparators[language] ?? ',';
  return String(Math.round(count)).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/**
 * The R13 warning in the user's language: "Your caseload has N records; this device is meant for
 * up to M. Ask your supervisor to narrow your area, or continue anyway."
 */
export function caseloadText(
  t: (key: 'sync.caseload.message', params: { records: string; limit: string }) => string,
  warning: CaseloadWarning,
  language: string,
): string {
  return t('sync.caseload.message', {
    records: formatCount(warning.records, language),
    limit: formatCount(warning.deviceLimit, language),
  });
}
