import type { FormDefinition, Labels } from '../xlsform/formDefinition.js';
import type { DemoData, DemoEntity } from './demoData.js';
import type { Answers } from './instanceXml.js';
import type { SeededRandom } from './seededRandom.js';
import { DAY_MS, DEMO_REFERENCE_DATE, isoDate, isoTime } from './seededRandom.js';

/** One submission of a template form in the demo: the case it creates or updates, when and where. */
export interface DemoSubmission {
  kind: 'submission';
  formId: string;
  /** When the server received it (ISO). */
  at: string;
  /** The area the submitter works in: the seed sends it as that area's demo field worker. */
  areaCode: string | null;
  /** A demo login that sent it instead of the area's field worker (a supervisor's triage). */
  username?: string;
  /** The case it creates or updates; null for a form that keeps no case. */
  entity: ({ dataset: string; id: string } & ({ create: true; label: string } | { create: false })) | null;
  answers: Answers;
  /** `uuid:…`, drawn from the seeded generator. */
  instanceId: string;
}

/** A case tagged with the project's categories, as an administrator does on the case page. */
export interface DemoTag {
  kind: 'tag';
  at: string;
  entityId: string;
  categories: string[];
}

export type DemoEvent = DemoSubmission | DemoTag;

export interface DemoActivity {
  /** In the order they happened. */
  events: DemoEvent[];
  /** Every category code a demo case carries, with its name per language. */
  categories: Array<{ code: string; names: Labels }>;
}

export interface ActivityOptions {
  seed: number;
  /** The moment the demo is seeded: every date falls in the months before it. */
  now: number;
}

export const HOUR_MS = 3_600_000;
/** The months the demo's activity spreads over. */
export const WINDOW_DAYS = 180;

/**
 * Moves a generated time (dated relative to DEMO_REFERENCE_DATE over `spanDays`) into the
 * WINDOW_DAYS before `now`, keeping the order of the records.
 */
export function rescale(ms: number, spanDays: number, now: number): number {
  const age = Math.min(1, Math.max(0, (DEMO_REFERENCE_DATE - ms) / (spanDays * DAY_MS)));
  // The newest three days before now: a report sent a day or two after the event is still past.
  // Working hours of the day (08:00–17:00 UTC+8 is 00:00–09:00 UTC) keep each record's order.
  const day = Math.floor((now - 3 * DAY_MS - age * (WINDOW_DAYS - 3) * DAY_MS) / DAY_MS) * DAY_MS;
  return day + Math.floor(((ms % DAY_MS) / DAY_MS) * 9 * HOUR_MS);
}

/** A time between `from` and `to` (both ms), in working hours when the span allows it. */
export function between(random: SeededRandom, from: number, to: number): number {
  if (to <= from) return from + 1;
  return from + Math.floor(random.next() * (to - from));
}

export function formById(forms: readonly FormDefinition[], formId: string): FormDefinition {
  const form = forms.find((f) => f.formId === formId);
  if (form === undefined) throw new Error(`no template form ${formId}`);
  return form;
}

/** The codes of one choice list of a form. */
export function choiceCodes(form: FormDefinition, listName: string): string[] {
  return form.choices.find((c) => c.listName === listName)?.choices.map((c) => c.name) ?? [];
}

/**
 * The answers that gave a case its properties: each property back on the question that saves
 * to it (`save_to`), minus `skip`.
 */
export function answersOf(form: FormDefinition, entity: DemoEntity, skip: readonly string[] = []): Answers {
  const answers: Answers = {};
  for (const row of form.survey) {
    if (row.saveTo === undefined || row.name === undefined || skip.includes(row.name)) continue;
    const value = entity.properties[row.saveTo];
    if (value !== undefined) answers[row.name] = value;
  }
  return answers;
}

/** The start/end/today answers of a form filled in the minutes before `at`. */
export function metaAnswers(form: FormDefinition, at: number, username?: string): Answers {
  const out: Answers = {};
  const names = new Set(form.survey.map((r) => r.type));
  const stamp = (ms: number) => isoTime(ms).replace('Z', '+00:00');
  if (names.has('start')) out['start'] = stamp(at - 15 * 60_000);
  if (names.has('end')) out['end'] = stamp(at - 60_000);
  if (names.has('today')) out['today'] = isoDate(at);
  if (names.has('username') && username !== undefined) out['username'] = username;
  return out;
}

export function createOf(
  random: SeededRandom,
  form: FormDefinition,
  entity: DemoEntity,
  at: number,
  answers: Answers,
): DemoSubmission {
  return {
    kind: 'submission',
    formId: form.formId,
    at: isoTime(at),
    areaCode: entity.areaCode,
    entity: { dataset: entity.list, id: entity.id, create: true, label: entity.label },
    answers: { ...metaAnswers(form, at), ...answers },
    instanceId: `uuid:${random.uuid()}`,
  };
}

export function updateOf(
  random: SeededRandom,
  form: FormDefinition,
  entity: DemoEntity,
  at: number,
  answers: Answers,
): DemoSubmission {
  return {
    kind: 'submission',
    formId: form.formId,
    at: isoTime(at),
    areaCode: entity.areaCode,
    entity: { dataset: entity.list, id: entity.id, create: false },
    answers: { ...metaAnswers(form, at), ...answers },
    instanceId: `uuid:${random.uuid()}`,
  };
}

/**
 * The names of every category code the cases carry, from the template's choice lists (the first
 * list that has the code), or from `extra` for a code no list has.
 */
export function categoryNames(
  demo: DemoData,
  forms: readonly FormDefinition[],
  extra: Record<string, Labels> = {},
): DemoActivity['categories'] {
  const codes = [...new Set(demo.entities.flatMap((e) => e.categories))].sort();
  return codes.map((code) => {
    const choice = forms.flatMap((f) => f.choices.flatMap((c) => c.choices)).find((c) => c.name === code);
    return { code, names: choice?.label ?? extra[code] ?? { en: code } };
  });
}

/** Events sorted by time, a create before anything else of its case at the same moment. */
export function inOrder(events: DemoEvent[]): DemoEvent[] {
  return events.sort((a, b) => a.at.localeCompare(b.at));
}
