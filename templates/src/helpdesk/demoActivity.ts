import type { ActivityOptions, DemoActivity, DemoEvent } from '../demo/demoActivity.js';
import {
  HOUR_MS,
  answersOf,
  between,
  categoryNames,
  createOf,
  inOrder,
  rescale,
  updateOf,
} from '../demo/demoActivity.js';
import type { DemoData, DemoEntity } from '../demo/demoData.js';
import type { SeededRandom } from '../demo/seededRandom.js';
import { DAY_MS, isoDate, isoTime, seededRandom } from '../demo/seededRandom.js';
import { forms, requestIntake, requestTriage } from './forms.js';

/** The expert of each office (the demo's logins, as the triage form lists them). */
const EXPERT: Record<string, string> = { MN: 'fieldworker', PG: 'fieldworker2' };

function requestEvents(random: SeededRandom, entity: DemoEntity, now: number): DemoEvent[] {
  const sent = rescale(Date.parse(entity.createdAt), 540, now);
  const neededBy = entity.properties['needed_by'];
  // The form wants a date from today on; a request whose date has passed since is sent without one.
  const skip = ['request_status', ...(neededBy !== undefined && neededBy >= isoDate(now) ? [] : ['needed_by'])];
  const events: DemoEvent[] = [
    createOf(random, requestIntake, entity, sent, {
      ...answersOf(requestIntake, entity, skip),
      request_status: 'open',
      submitted_on: isoDate(sent),
    }),
    { kind: 'tag', at: isoTime(sent + HOUR_MS), entityId: entity.id, categories: entity.categories },
  ];
  if (entity.status === 'open') return events;
  const last = Math.max(sent + 2 * HOUR_MS, now - DAY_MS);
  const triaged = between(random, sent + HOUR_MS, Math.min(last, sent + 3 * DAY_MS));
  const done = entity.status === 'resolved' || entity.status === 'closed';
  const triage = (at: number, status: string) =>
    updateOf(random, requestTriage, entity, at, {
      request_id: entity.id,
      category: entity.properties['category'] ?? '',
      urgency: entity.properties['urgency'] ?? 'normal',
      assignee: EXPERT[entity.areaCode ?? ''] ?? 'supervisor',
      request_status: status,
      ...(status === 'resolved' || status === 'closed' ? { resolution: 'Done; the requester confirmed.' } : {}),
    });
  const events2: DemoEvent[] = [{ ...triage(triaged, done ? 'in_progress' : entity.status), username: 'supervisor' }];
  if (done)
    events2.push({ ...triage(between(random, triaged + HOUR_MS, last), entity.status), username: 'supervisor' });
  return [...events, ...events2];
}

/** Requests the country offices sent over the last months, triaged and updated by the helpdesk. */
export function demoActivity(demo: DemoData, options: ActivityOptions): DemoActivity {
  const random = seededRandom(options.seed ^ 0x5eed);
  const events = demo.entities.flatMap((e) => requestEvents(random, e, options.now));
  return { events: inOrder(events), categories: categoryNames(demo, forms) };
}
