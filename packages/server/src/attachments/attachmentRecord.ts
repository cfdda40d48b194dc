import type { PolicyCatalogue, PolicyRecord, SensitivityClass } from '@outpost/core';
import { catalogueField, stricterClass } from '@outpost/core';
import type { AttachmentRow, SubmissionPlacement } from '../storage/queries/attachments.js';

/**
 * A stored submission as the policy sees it: the envelope of the case it created or updated (a
 * submission is in reach wherever its case is) and its sender as `createdBy`. Without a case it
 * reaches only whole-project members and the sender.
 */
export function submissionRecord(placement: SubmissionPlacement): PolicyRecord & { kind: 'submission' } {
  return {
    kind: 'submission',
    id: placement.instance_id,
    projectId: placement.project_id,
    listName: placement.list_name,
    areaPath: placement.area_path,
    team: placement.team,
    assigneeId: placement.assignee_id,
    createdBy: placement.user_id,
  };
}

/**
 * A file as the policy sees it: the envelope of the submission that carries it and the class of
 * the question that holds its name. A file whose submission has not arrived has no place yet:
 * only its uploader's `own` scope reaches it, as the strictest class.
 */
export function attachmentRecord(
  row: AttachmentRow,
  placement: SubmissionPlacement | undefined,
  catalogue: PolicyCatalogue,
): PolicyRecord & { kind: 'attachment' } {
  if (placement === undefined) {
    return {
      kind: 'attachment',
      id: row.sha256,
      projectId: row.project_id,
      listName: null,
      areaPath: null,
      team: null,
      assigneeId: null,
      createdBy: row.created_by,
      fieldClass: 'identifying',
    };
  }
  return {
    ...submissionRecord(placement),
    kind: 'attachment',
    id: row.sha256,
    fieldClass: answeredFieldClass(placement.data, row.name, catalogue),
  };
}

/**
 * The class of the question whose answer is the file name `name` in a submission's JSON
 * projection (groups as objects, repeats as arrays, attributes as `@` keys). The strictest class
 * wins when several answers carry the name; a name no question holds, or a question the catalogue
 * does not know, is `identifying`, as the policy treats unknown values.
 */
export function answeredFieldClass(dataJson: string, name: string, catalogue: PolicyCatalogue): SensitivityClass {
  let data: unknown;
  try {
    data = JSON.parse(dataJson);
  } catch {
    return 'identifying';
  }
  const paths: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      if (value === name && path !== '') paths.push(path);
      return;
    }
    if (Array.isArray(value)) {
      // Repeat positions are not part of a catalogue path.
      for (const item of value) walk(item, path);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (key.startsWith('@')) continue;
      walk(child, key === '#text' ? path : path === '' ? key : `${path}/${key}`);
    }
  };
  walk(data, '');
  if (paths.length === 0) return 'identifying';
  return paths
    .map((path): SensitivityClass => catalogueField(catalogue, path)?.class ?? 'identifying')
    .reduce(stricterClass);
}
