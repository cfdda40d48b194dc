/**
 * Follow-up tasks, computed on the device from the dates the project's forms save to a case:
 * a next visit (`next_visit_date`), a review due (`review_due_date`), a referral to follow up
 * (`last_referral_date` while the case is `referred`). Which properties count is read from the
 * forms (the date questions that save to the case); their names say what kind of task they make.
 * Pure and linear in the number of cases: the overview and the tasks screen both call it.
 */

export type TaskKind = 'visit' | 'review' | 'referral' | 'followUp';
export type TaskGroup = 'overdue' | 'soon' | 'later';

/** How one date property of a list makes a task. */
export interface TaskRule {
  readonly list: string;
  readonly property: string;
  readonly kind: TaskKind;
  /** Days after the property's date the task falls due (0: on the date itself). */
  readonly afterDays: number;
  /** Only while the case has this status. */
  readonly whileStatus?: string;
}

/** A case as the tasks see it: the device's view (its own edits laid over the server's). */
export interface TaskCase {
  readonly id: string;
  readonly list: string;
  readonly label: string;
  readonly status: string | null;
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface Task {
  readonly caseId: string;
  readonly list: string;
  readonly label: string;
  readonly kind: TaskKind;
  /** The property the due date comes from (its question label names the task). */
  readonly property: string;
  /** YYYY-MM-DD */
  readonly due: string;
  /** Whole days from today to the due date: negative when overdue. */
  readonly inDays: number;
  /** 3 high, 2 medium, 1 low, 0 unknown: from the case's risk level, priority or severity. */
  readonly priority: number;
  readonly assigneeId: string | null;
}

export interface TaskGroups {
  readonly overdue: readonly Task[];
  /** Due today or within the next 7 days. */
  readonly soon: readonly Task[];
  readonly later: readonly Task[];
}

/** Days a referral is left before it is followed up. */
export const referralFollowUpDays = 14;
/** What "due soon" means. */
export const soonDays = 7;

/** Statuses after which a case asks nothing more. */
const finished = new Set(['closed', 'archived', 'transferred']);

/**
 * The rules for one list's date properties, by their names: `next_…` and `…_due(_date)` fall due
 * on their date; `last_referral_date` a fortnight later while the case is referred. Other dates
 * (a birth date, the last visit) make no task.
 */
export function taskRulesFor(list: string, dateProperties: Iterable<string>): TaskRule[] {
  const rules: TaskRule[] = [];
  for (const property of dateProperties) {
    if (/^next_/.test(property)) {
      rules.push({ list, property, kind: property.includes('visit') ? 'visit' : 'followUp', afterDays: 0 });
    } else if (/_due(_date)?$/.test(property)) {
      rules.push({ list, property, kind: property.includes('review') ? 'review' : 'followUp', afterDays: 0 });
    } else if (/^last_referral(_date)?$/.test(property)) {
      rules.push({ list, property, kind: 'referral', afterDays: referralFollowUpDays, whileStatus: 'referred' });
    }
  }
  return rules;
}

const priorities: Readonly<Record<string, number>> = {
  high: 3,
  critical: 3,
  urgent: 3,
  medium: 2,
  moderate: 2,
  low: 1,
};

function priorityOf(properties: Readonly<Record<string, unknown>>): number {
  for (const key of ['risk_level', 'priority', 'severity']) {
    const value = properties[key];
    if (typeof value === 'string') return priorities[value.toLowerCase()] ?? 0;
  }
  return 0;
}

const dayMs = 86_400_000;
const isoDay = /^(\d{4})-(\d{2})-(\d{2})/;

/** Days since 1970-01-01 of a `YYYY-MM-DD…` value; NaN for anything else. */
export function dayNumber(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  const m = isoDay.exec(value);
  if (m === null) return Number.NaN;
  const time = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Math.round(time / dayMs);
}

function isoOf(day: number): string {
  return new Date(day * dayMs).toISOString().slice(0, 10);
}

/** Orders the most urgent first: higher priority, then the earlier due date, then the label. */
function byUrgency(a: Task, b: Task): number {
  return b.priority - a.priority || a.inDays - b.inDays || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
}

/**
 * Every case's tasks, grouped as overdue / due within 7 days / later and ordered by priority.
 * `today` is the device's date, `YYYY-MM-DD`. A finished case (closed, transferred) has none.
 */
export function computeTasks(cases: Iterable<TaskCase>, rules: readonly TaskRule[], today: string): TaskGroups {
  const todayNumber = dayNumber(today);
  if (Number.isNaN(todayNumber)) throw new RangeError(`today must be YYYY-MM-DD, not ${today}`);
  const byList = new Map<string, TaskRule[]>();
  for (const rule of rules) {
    const forList = byList.get(rule.list) ?? [];
    forList.push(rule);
    byList.set(rule.list, forList);
  }
  const overdue: Task[] = [];
  const soon: Task[] = [];
  const later: Task[] = [];
  for (const c of cases) {
    const listRules = byList.get(c.list);
    if (listRules === undefined || (c.status !== null && finished.has(c.status))) continue;
    for (const rule of listRules) {
      if (rule.whileStatus !== undefined && c.status !== rule.whileStatus) continue;
      const day = dayNumber(c.properties[rule.property]);
      if (Number.isNaN(day)) continue;
      const dueDay = day + rule.afterDays;
      const assignee = c.properties['__assigneeId'];
      const task: Task = {
        caseId: c.id,
        list: c.list,
        label: c.label,
        kind: rule.kind,
        property: rule.property,
        due: rule.afterDays === 0 ? String(c.properties[rule.property]).slice(0, 10) : isoOf(dueDay),
        inDays: dueDay - todayNumber,
        priority: priorityOf(c.properties),
        assigneeId: typeof assignee === 'string' && assignee !== '' ? assignee : null,
      };
      (task.inDays < 0 ? overdue : task.inDays <= soonDays ? soon : later).push(task);
    }
  }
  return { overdue: overdue.sort(byUrgency), soon: soon.sort(byUrgency), later: later.sort(byUrgency) };
}

/** The device's date as `YYYY-MM-DD` in its own time zone (a visit is due on the local day). */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
