import type { ActivityOptions, DemoActivity, DemoEvent, DemoSubmission } from '../demo/demoActivity.js';
import {
  HOUR_MS,
  answersOf,
  between,
  categoryNames,
  choiceCodes,
  createOf,
  inOrder,
  metaAnswers,
  rescale,
  updateOf,
} from '../demo/demoActivity.js';
import type { DemoData, DemoEntity } from '../demo/demoData.js';
import type { SeededRandom } from '../demo/seededRandom.js';
import { DAY_MS, isoDate, isoTime, seededRandom } from '../demo/seededRandom.js';
import {
  biodiversityObservation,
  forms,
  incident,
  incidentFollowUp,
  managementEffectiveness,
  protectedAreaRegistration,
  resourceUse,
} from './forms.js';

const SPAN_DAYS = 540;

function tagOf(entity: DemoEntity, at: number): DemoEvent[] {
  return entity.categories.length === 0
    ? []
    : [{ kind: 'tag', at: isoTime(at + HOUR_MS), entityId: entity.id, categories: entity.categories }];
}

function dateTime(ms: number): string {
  return isoTime(ms).replace('Z', '+00:00');
}

function incidentEvents(random: SeededRandom, entity: DemoEntity, paId: string, now: number): DemoEvent[] {
  const happened = rescale(Date.parse(entity.createdAt), SPAN_DAYS, now);
  const reported = happened + random.int(1, 30) * HOUR_MS;
  const oldDate = entity.properties['incident_date'] ?? '';
  const date = isoDate(happened);
  const events: DemoEvent[] = [
    createOf(random, incident, { ...entity, label: entity.label.replace(oldDate, date) }, reported, {
      ...answersOf(incident, entity, ['incident_status']),
      pa_id: paId,
      incident_datetime: dateTime(happened),
      incident_date: date,
      reported_by: random.pick(['ranger', 'ranger', 'community', 'anonymous']),
      incident_status: 'open',
    }),
    ...tagOf(entity, reported),
  ];
  if (entity.status !== 'open') {
    const at = between(random, reported + HOUR_MS, Math.min(now - DAY_MS, reported + 120 * DAY_MS));
    events.push(
      updateOf(random, incidentFollowUp, entity, at, {
        incident_id: entity.id,
        follow_up_date: isoDate(at),
        incident_status: entity.status,
      }),
    );
  }
  return events;
}

function observationEvents(random: SeededRandom, entity: DemoEntity, paId: string, now: number): DemoEvent[] {
  const seen = rescale(Date.parse(entity.createdAt), SPAN_DAYS, now);
  const species = entity.properties['species'] ?? 'other';
  return [
    createOf(random, biodiversityObservation, entity, seen + random.int(1, 48) * HOUR_MS, {
      ...answersOf(biodiversityObservation, entity),
      pa_id: paId,
      observation_datetime: dateTime(seen),
      event_date: isoDate(seen),
      ...(species === 'other' ? { species_other: entity.properties['scientific_name'] ?? 'unknown' } : {}),
    }),
    ...tagOf(entity, seen + 48 * HOUR_MS),
  ];
}

/** One METT assessment of a protected area, dated `at`. */
function mettOf(random: SeededRandom, entity: DemoEntity, at: number, base: number): DemoSubmission {
  const answers: Record<string, string> = {
    pa_id: entity.id,
    assessment_date: isoDate(at),
    fiscal_year: String(new Date(at).getUTCFullYear()),
    currency: 'PGK',
    permanent_staff: String(random.int(0, 12)),
    temporary_staff: String(random.int(0, 20)),
    budget_recurrent: String(random.int(0, 80) * 1000),
  };
  let score = 0;
  for (const row of managementEffectiveness.survey) {
    if (row.name === undefined || !/^mett_[a-z_]+$/.test(row.name) || row.name.endsWith('_comment')) continue;
    if (!row.type.startsWith('select_one')) continue;
    const value = Math.min(3, Math.max(0, base + random.int(-1, 1)));
    answers[row.name] = String(value);
    score += value;
  }
  answers['mett_score'] = String(score);
  return updateOf(random, managementEffectiveness, entity, at, answers);
}

function resourceUseOf(random: SeededRandom, pa: DemoEntity, at: number): DemoSubmission {
  const product = random.pick(resourceUse.choices.find((c) => c.listName === 'product')?.choices ?? []);
  return {
    kind: 'submission',
    formId: resourceUse.formId,
    at: isoTime(at),
    areaCode: pa.areaCode,
    entity: null,
    answers: {
      ...metaAnswers(resourceUse, at),
      pa_id: pa.id,
      observation_date: isoDate(at),
      resource_type: product.columns?.['resource_type'] ?? '',
      product: product.name,
      purpose: random.pick(choiceCodes(resourceUse, 'purpose')),
      trend: random.pick(choiceCodes(resourceUse, 'trend')),
    },
    instanceId: `uuid:${random.uuid()}`,
  };
}

/** Each protected area's profile, two METT assessments and some resource-use records. */
function protectedAreaEvents(random: SeededRandom, entity: DemoEntity, now: number): DemoEvent[] {
  const created = now - (200 + random.int(0, 20)) * DAY_MS;
  const base = random.int(1, 2);
  return [
    createOf(random, protectedAreaRegistration, entity, created, answersOf(protectedAreaRegistration, entity)),
    ...tagOf(entity, created),
    mettOf(random, entity, now - random.int(150, 175) * DAY_MS, base),
    mettOf(random, entity, now - random.int(5, 40) * DAY_MS, base + (random.chance(0.5) ? 1 : 0)),
    ...Array.from({ length: random.int(1, 3) }, () => resourceUseOf(random, entity, now - random.int(2, 170) * DAY_MS)),
  ];
}

/**
 * The PNG demo as rangers and officers recorded it over the last months: each protected area's
 * profile and METT assessments, incidents with their follow-ups, biodiversity observations and
 * resource-use records.
 */
export function demoActivity(demo: DemoData, options: ActivityOptions): DemoActivity {
  const random = seededRandom(options.seed ^ 0x5eed);
  const paIds = new Map(
    demo.entities.filter((e) => e.list === 'protected_areas').map((e) => [e.properties['pa_code'] ?? '', e.id]),
  );
  const events = demo.entities.flatMap((e) => {
    const paId = paIds.get(e.properties['protected_area'] ?? '') ?? '';
    if (e.list === 'protected_areas') return protectedAreaEvents(random, e, options.now);
    if (e.list === 'incidents') return incidentEvents(random, e, paId, options.now);
    return observationEvents(random, e, paId, options.now);
  });
  return {
    events: inOrder(events),
    categories: categoryNames(demo, forms, {
      sensitive_species: { en: 'Sensitive species', tpi: 'Abus i mas i stap hait' },
    }),
  };
}
