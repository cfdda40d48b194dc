import type { ActivityOptions, DemoActivity, DemoEvent } from '../demo/demoActivity.js';
import {
  HOUR_MS,
  answersOf,
  between,
  categoryNames,
  choiceCodes,
  createOf,
  inOrder,
  rescale,
  updateOf,
} from '../demo/demoActivity.js';
import type { DemoData, DemoEntity } from '../demo/demoData.js';
import type { SeededRandom } from '../demo/seededRandom.js';
import { DAY_MS, isoDate, isoTime, seededRandom } from '../demo/seededRandom.js';
import { assessment, closure, forms, householdRegistration, referral, visit } from './forms.js';
import { registrationAnswers } from './members.js';

/** When the next visit falls: overdue, due within the week, or later (tasks and the caseload show all three). */
function nextVisitDate(random: SeededRandom, visitMs: number, now: number): string {
  const due = random.weighted([
    ['overdue', 3],
    ['week', 3],
    ['later', 4],
  ] as const);
  const day =
    due === 'overdue'
      ? now - random.int(1, 20) * DAY_MS
      : due === 'week'
        ? now + random.int(0, 6) * DAY_MS
        : now + random.int(8, 45) * DAY_MS;
  return isoDate(Math.max(day, visitMs + DAY_MS));
}

/** The needs after a visit: most stay, some are met, a new one now and then. */
function changedNeeds(random: SeededRandom, needs: string[], all: string[]): string[] {
  const kept = needs.filter(() => random.chance(0.8));
  if (random.chance(0.25)) kept.push(random.pick(all.filter((n) => !kept.includes(n))));
  return kept.length === 0 ? needs.slice(0, 1) : kept;
}

/** A household's registration, then what its final status says happened to it. */
function householdEvents(random: SeededRandom, entity: DemoEntity, now: number): DemoEvent[] {
  const created = rescale(Date.parse(entity.createdAt), 365, now);
  const day = isoDate(created);
  const registration = createOf(random, householdRegistration, entity, created, {
    ...answersOf(householdRegistration, entity),
    // The members, their ages and the household's counts as the form calculates them that day.
    ...registrationAnswers(entity.properties['head_dob'] ?? '', entity.repeats?.['members'] ?? [], day),
    consent: 'yes',
    registration_date: day,
    case_status: 'open',
  });
  const events: DemoEvent[] = [
    registration,
    { kind: 'tag', at: isoTime(created + HOUR_MS), entityId: entity.id, categories: entity.categories },
  ];
  if (entity.status === 'open') return events;
  // The follow-ups share the time since registration, the last one a day or more before now.
  const end = Math.max(created + 2 * HOUR_MS, now - DAY_MS);
  const steps = entity.status === 'in_progress' ? random.int(2, 4) : 3;
  const times = Array.from({ length: steps }, () => between(random, created + 2 * HOUR_MS, end)).sort((a, b) => a - b);
  const [assessed = end, ...later] = times;
  const reviewDue = Math.min(assessed + random.int(20, 90) * DAY_MS, assessed + 92 * DAY_MS);
  events.push(
    updateOf(random, assessment, entity, assessed, {
      case_id: entity.id,
      assessment_date: isoDate(assessed),
      risk_level: random.pick(choiceCodes(assessment, 'risk_level')),
      violence_concern: entity.categories.includes('domestic_violence') ? 'yes' : 'no',
      pmt_score: String(random.int(10, 60)),
      review_due_date: isoDate(reviewDue),
      case_status: 'in_progress',
    }),
  );
  let needs = (entity.properties['needs'] ?? '').split(' ').filter((n) => n !== '');
  const allNeeds = choiceCodes(visit, 'need');
  const last = entity.status === 'in_progress' ? later.length : later.length - 1;
  for (let i = 0; i < last; i++) {
    const at = later[i] ?? end;
    needs = random.chance(0.4) ? changedNeeds(random, needs, allNeeds) : needs;
    const visitType = random.pick(choiceCodes(visit, 'visit_type'));
    events.push(
      updateOf(random, visit, entity, at, {
        case_id: entity.id,
        visit_date: isoDate(at),
        visit_type: visitType,
        contact_made: random.chance(0.85) ? 'yes' : 'no',
        needs: needs.join(' '),
        next_visit_date: nextVisitDate(random, at, now),
        case_status: 'in_progress',
      }),
    );
  }
  const closing = later[later.length - 1] ?? end;
  if (entity.status === 'referred') {
    events.push(
      updateOf(random, referral, entity, closing, {
        case_id: entity.id,
        referral_date: isoDate(closing),
        referred_to: random.pick(choiceCodes(referral, 'agency')),
        referral_needs: needs.slice(0, 2).join(' ') || 'cash',
        consent_to_share: 'yes',
        case_status: 'referred',
      }),
    );
  } else if (entity.status === 'closed') {
    events.push(
      updateOf(random, closure, entity, closing, {
        case_id: entity.id,
        closure_date: isoDate(closing),
        closure_reason: random.pick(choiceCodes(closure, 'closure_reason').filter((r) => r !== 'other')),
        supervisor_agreed: 'yes',
        case_status: 'closed',
      }),
    );
  }
  return events;
}

/**
 * The demo households as the khoroo social workers collected them over the last months:
 * registrations, the administrator's category tags, assessments, visits (needs that change,
 * next visits overdue, due this week or later), referrals and closures.
 */
export function demoActivity(demo: DemoData, options: ActivityOptions): DemoActivity {
  const random = seededRandom(options.seed ^ 0x5eed);
  const events = demo.entities.flatMap((e) => householdEvents(random, e, options.now));
  return { events: inOrder(events), categories: categoryNames(demo, forms) };
}
