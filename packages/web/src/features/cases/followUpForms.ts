import type { FormSummary, OutpostApi } from '../../api/OutpostApi.js';
import { entityUpdateOf } from '../../forms/entityUpdate.js';

/** A published form that updates cases of one list: what a case offers to record for itself. */
export interface FollowUpForm extends FormSummary {
  /** The entity list whose cases it updates. */
  readonly dataset: string;
}

/**
 * The project's forms that update a case chosen by one question (visit, referral, closure …),
 * read from each form's XForm (kept on the device, so this works offline). A form that cannot
 * be read is left out: it is still offered on the form list.
 */
export async function listFollowUpForms(api: OutpostApi, projectId: string): Promise<FollowUpForm[]> {
  const forms = await api.listForms(projectId);
  const found = await Promise.all(
    forms.map(async (form) => {
      try {
        const update = entityUpdateOf(await api.getFormXml(projectId, form.formId, form.version));
        return update === null ? [] : [{ ...form, dataset: update.dataset }];
      } catch {
        return [];
      }
    }),
  );
  return found.flat();
}

/** The link that opens `form` with `caseId` already chosen. */
export function followUpPath(projectId: string, form: FormSummary, caseId: string): string {
  return (
    `/projects/${encodeURIComponent(projectId)}/forms/${encodeURIComponent(form.formId)}` +
    `/versions/${encodeURIComponent(form.version)}?case=${encodeURIComponent(caseId)}`
  );
}

/** The case page of `caseId`. */
export function casePath(projectId: string, caseId: string): string {
  return `/projects/${encodeURIComponent(projectId)}/cases/${encodeURIComponent(caseId)}`;
}
