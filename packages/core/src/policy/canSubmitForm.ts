import type { Decision, PolicyActor } from './actor.js';
import { fullyVisible, mergedView } from './checkWrite.js';
import { projectGrants } from './projectGrants.js';
import type { PolicyCatalogue } from './sensitivity.js';

/** What deciding on a form needs to know of it (a compiled form's summary fits). */
export interface SubmittableForm {
  /** The entity list the form creates or updates, or null when it makes no entity change. */
  entities: SubmittableList | null;
  /** Every list it writes to, when it writes to several (a compiled form's `entityLists`). */
  entityLists?: readonly SubmittableList[];
}

interface SubmittableList {
  dataset: string;
  properties: ReadonlyArray<{ property: string }>;
}

/**
 * Whether `actor` may submit `form` in `projectId`: the one decision behind which forms are
 * offered (server form list, the app's "Fill a form") and it agrees with what receiving a
 * submission checks, so nobody fills a form only to have it refused at sync. Some membership must
 * hold `cases.write` and reach something; for a form that saves to an entity list, that list must
 * be open to it, and every property the form saves must be one its view shows in full (a write is
 * refused otherwise, see `checkWrite`). `form` null asks whether the actor may submit any form.
 */
export function canSubmitForm(
  actor: PolicyActor,
  projectId: string,
  form: SubmittableForm | null,
  catalogue: PolicyCatalogue | null = null,
): Decision {
  const grants = projectGrants(actor, projectId);
  if (grants.length === 0) return { allowed: false, reason: 'project' };
  const lists = form === null ? [] : (form.entityLists ?? (form.entities === null ? [] : [form.entities]));
  const writing = grants.filter(
    (g) =>
      g.capabilities.has('cases.write') &&
      g.scopes.length > 0 &&
      lists.every(({ dataset }) => g.lists === null || g.lists.has(dataset)),
  );
  if (writing.length === 0) return { allowed: false, reason: 'capability' };
  if (lists.length > 0 && catalogue !== null) {
    const view = mergedView(writing);
    const hidden = lists.some((list) =>
      list.properties.some(({ property }) => !fullyVisible(catalogue.properties.get(property), view)),
    );
    if (hidden) return { allowed: false, reason: 'field' };
  }
  return { allowed: true };
}

/** What `canSubmitForm` reads of a stored form summary (older summaries may lack either field). */
export function submittableForm(summary: {
  entities?: SubmittableList | null;
  entityLists?: readonly SubmittableList[];
}): SubmittableForm {
  return {
    entities: summary.entities ?? null,
    ...(summary.entityLists === undefined ? {} : { entityLists: summary.entityLists }),
  };
}
