import type { FieldInfo } from '@outpost/core';
import { validateInstance } from '../forms/validateInWorker.js';
import { readSubmission } from '../policy/submissionView.js';
import type { SubmissionReader } from '../policy/submissionView.js';
import { listFormVersions } from '../storage/queries/forms.js';
import { submissionsAfter } from '../storage/queries/exports.js';
import { submissionXmls } from '../storage/queries/quality.js';
import { listFieldRanges } from '../storage/queries/fieldRanges.js';
import type { Store } from '../storage/store.js';
import { fieldRules, outOfRange, settingRange } from './formRules.js';
import type { Range } from './formRules.js';

/** A submission the report points at: open it by its case, or find it by its instance ID. */
export interface RecordRef {
  readonly instanceId: string;
  readonly caseId: string | null;
  readonly submittedAt: string;
}

export interface MissingField {
  readonly path: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  /** Asked only when a condition holds: some blanks are expected. */
  readonly conditional: boolean;
  readonly missing: number;
  readonly records: RecordRef[];
}

export interface OutOfRangeField {
  readonly path: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly range: Range;
  /** Where the range comes from: the form's constraint, or an administrator's min–max setting. */
  readonly source: RangeSource;
  readonly count: number;
  readonly records: Array<RecordRef & { value: string }>;
}

export interface NewerVersionProblem extends RecordRef {
  readonly version: string;
  readonly problems: Array<{ field: string; condition: string; message: string }>;
}

export interface QualityReport {
  readonly version: string;
  readonly submissions: number;
  readonly missing: MissingField[];
  readonly outOfRange: OutOfRangeField[];
  readonly newerVersion: {
    /** Older-version submissions checked against the newest version, at most `limit`. */
    readonly checked: number;
    readonly olderTotal: number;
    readonly limit: number;
    readonly records: NewerVersionProblem[];
  };
}

export type RangeSource = 'constraint' | 'setting';

/** Records listed per field; the counts cover every submission. */
const LISTED = 50;
/** Older submissions re-checked in the ODK engine per report (each costs the engine a restore). */
const RECHECK = 100;
const PAGE = 500;
const SKIPPED = new Set(['note', 'calculate', 'trigger', 'begin_group', 'end_group', 'begin_repeat', 'end_repeat']);

type Node = unknown;

/** An instance path below its root: `/data/head/head_name` → `head/head_name`. */
const below = (path: string): string => path.split('/').slice(2).join('/');

function textAt(data: Node, steps: readonly string[]): string[] {
  let nodes: Node[] = [data];
  for (const step of steps) {
    nodes = nodes.flatMap((n) => {
      if (n === null || typeof n !== 'object' || Array.isArray(n)) return [];
      const next = (n as Record<string, Node>)[step];
      if (next === undefined) return [];
      return Array.isArray(next) ? (next as Node[]) : [next];
    });
  }
  return nodes.map((n) => {
    if (typeof n === 'string') return n;
    if (n !== null && typeof n === 'object' && typeof (n as { '#text'?: unknown })['#text'] === 'string') {
      return (n as { '#text': string })['#text'];
    }
    return '';
  });
}

/**
 * A form's data-quality report for a reader, over the submissions they may export: blank answers
 * per question, answers outside the range the form's constraint sets (min–max, as DHIS2 keeps
 * per field), and older-version submissions that the newest version would refuse, checked in the
 * ODK engine. Fields hidden from the reader are left out; every count covers all submissions,
 * each list the first few.
 */
export async function qualityReport(formId: string, reader: SubmissionReader, store: Store): Promise<QualityReport> {
  const versions = await listFormVersions(formId, store);
  const latest = versions[0];
  if (latest === undefined) throw new Error(`form ${formId} has no version`);
  const rules = fieldRules(latest.xform);
  // Each field's ranges: its constraint's, and the min–max an administrator set (DHIS2's way).
  const settings = new Map((await listFieldRanges(formId, store)).map((r) => [r.path, settingRange(r)] as const));
  const rangesOf = (path: string): Array<[RangeSource, Range]> => {
    const out: Array<[RangeSource, Range]> = [];
    const fromForm = rules.get(path)?.range;
    if (fromForm !== null && fromForm !== undefined) out.push(['constraint', fromForm]);
    const set = settings.get(path);
    if (set !== undefined && set !== null) out.push(['setting', set]);
    return out;
  };
  const root = latest.summary.fields[0]?.path.split('/')[1] ?? 'data';
  const fields = latest.summary.fields.filter((f: FieldInfo) => {
    const type = f.type.split(/\s+/)[0] ?? '';
    return !SKIPPED.has(type) && !f.path.startsWith(`/${root}/meta/`) && !f.repeat;
  });
  const missing = new Map<string, { count: number; records: RecordRef[] }>();
  const ranges = new Map<string, { count: number; records: Array<RecordRef & { value: string }> }>();
  const hidden = new Set<string>();
  const older: Array<RecordRef & { version: string }> = [];
  let olderTotal = 0;
  let submissions = 0;
  let after = 0;
  for (;;) {
    const page = await submissionsAfter(formId, after, PAGE, store);
    if (page.length === 0) break;
    after = page.at(-1)?.seq ?? after;
    for (const s of page) {
      const read = readSubmission(s, reader, 'exports.run');
      if (read === null) continue;
      submissions++;
      for (const path of read.hidden) hidden.add(path);
      const ref: RecordRef = { instanceId: s.instanceId, caseId: s.caseId, submittedAt: s.receivedAt };
      if (s.version !== latest.version) {
        olderTotal++;
        if (older.length < RECHECK) older.push({ ...ref, version: s.version });
      }
      for (const field of fields) {
        const values = textAt(read.data, field.path.split('/').slice(2));
        const value = values[0] ?? '';
        if (value.trim() === '') {
          const entry = missing.get(field.path) ?? { count: 0, records: [] };
          entry.count++;
          if (entry.records.length < LISTED) entry.records.push(ref);
          missing.set(field.path, entry);
          continue;
        }
        for (const [source, range] of rangesOf(field.path)) {
          if (!outOfRange(value, range)) continue;
          const key = `${source} ${field.path}`;
          const entry = ranges.get(key) ?? { count: 0, records: [] };
          entry.count++;
          if (entry.records.length < LISTED) entry.records.push({ ...ref, value });
          ranges.set(key, entry);
        }
      }
    }
  }
  const xmls = await submissionXmls(
    older.map((o) => o.instanceId),
    store,
  );
  const newer: NewerVersionProblem[] = [];
  for (const o of older) {
    const xml = xmls.get(o.instanceId);
    if (xml === undefined) continue;
    const problems = await validateInstance(latest.xform, xml);
    // A hidden field's problem would tell its value: left out like the field.
    const shown = problems.filter((p) => !hidden.has(below(p.field.replace(/\[\d+\]/g, ''))));
    if (shown.length > 0) newer.push({ ...o, problems: shown });
  }
  const visible = fields.filter((f) => !hidden.has(below(f.path)));
  return {
    version: latest.version,
    submissions,
    missing: visible
      .flatMap((f) => {
        const entry = missing.get(f.path);
        return entry === undefined
          ? []
          : [
              {
                path: f.path,
                name: f.name,
                labels: f.labels,
                conditional: rules.get(f.path)?.conditional ?? false,
                missing: entry.count,
                records: entry.records,
              },
            ];
      })
      .sort((a, b) => b.missing - a.missing),
    outOfRange: visible.flatMap((f) =>
      rangesOf(f.path).flatMap(([source, range]) => {
        const entry = ranges.get(`${source} ${f.path}`);
        return entry === undefined
          ? []
          : [
              {
                path: f.path,
                name: f.name,
                labels: f.labels,
                range,
                source,
                count: entry.count,
                records: entry.records,
              },
            ];
      }),
    ),
    newerVersion: { checked: older.length, olderTotal, limit: RECHECK, records: newer },
  };
}
