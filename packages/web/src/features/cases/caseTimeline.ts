import type { CaseHistoryEntry, CaseVersionSource } from '../../api/CasesApi.js';
import type { OutboxEntry } from '../../store/outbox.js';
import type { ProjectVocabulary } from '../forms/formVocabulary.js';
import { propertyLines, type PropertyLine } from './caseProperties.js';

/** One line of a case's timeline: a form sent (or still on this device) or a change on the server. */
export interface TimelineItem {
  readonly key: string;
  /** ISO 8601: when it was made (on the device), else when the server stored it. */
  readonly at: string;
  /** The form's title in the app's language; null for a change with no form (import, review). */
  readonly form: string | null;
  readonly by: string | null;
  readonly device: string | null;
  /** `unsent`/`rejected`: saved on this device only; `server`: a version the server holds. */
  readonly state: 'unsent' | 'rejected' | 'server';
  readonly version: number | null;
  readonly conflict: string | null;
  readonly changes: readonly PropertyLine[];
  /** How many values it set that the reader may not see. */
  readonly withheld: number;
  /** What made a server version (submission, edit, forced, resolved …); null for one on this device. */
  readonly source: CaseVersionSource | null;
  /** The case action of an edit (`close`, `tag` …); null otherwise. */
  readonly action: string | null;
  /** Whether the version was made on a duplicate case merged into this one. */
  readonly merged: boolean;
}

/**
 * The timeline of a case, newest first: what this device saved and has not sent on top, then each
 * version the server holds (as last fetched; none when never opened online). Forms are named
 * with the device's copy of the project's forms, in the app's language when they have it.
 */
export function caseTimeline(
  list: string,
  unsent: readonly OutboxEntry[],
  history: readonly CaseHistoryEntry[],
  vocabulary: ProjectVocabulary,
  language: string,
): TimelineItem[] {
  const mine = unsent
    .map((entry): TimelineItem => ({
      key: `seq:${entry.seq}`,
      at: entry.savedAt,
      form: vocabulary.formTitle(entry.item.formId) ?? null,
      by: null,
      device: null,
      state: entry.state === 'rejected' ? 'rejected' : 'unsent',
      version: null,
      conflict: null,
      changes: [],
      withheld: 0,
      source: null,
      action: null,
      merged: false,
    }))
    .reverse();
  const versions = history.map((v): TimelineItem => ({
    // A merged case's versions count from 1 too.
    key: v.mergedFrom ? `v:${v.mergedFrom}:${v.version}` : `v:${v.version}`,
    at: v.madeAt ?? v.at,
    form: v.form === null ? null : (vocabulary.formTitle(v.form.id) ?? v.form.title),
    by: v.by,
    device: v.device,
    state: 'server',
    version: v.version,
    conflict: v.conflict,
    changes: propertyLines(v.changes, list, vocabulary, language),
    withheld: v.withheld.length,
    source: v.source ?? null,
    action: v.action ?? null,
    merged: (v.mergedFrom ?? null) !== null,
  }));
  return [...mine, ...versions];
}
