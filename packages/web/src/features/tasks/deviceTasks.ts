import type { DeviceRecord } from '../../sync/listDeviceRecords.js';
import type { ProjectVocabulary } from '../forms/formVocabulary.js';
import { computeTasks, taskRulesFor, type TaskCase, type TaskGroups, type TaskRule } from './computeTasks.js';

/** The task rules of every list among `records`, from the date questions of the project's forms. */
export function rulesOf(records: readonly { readonly list: string }[], vocabulary: ProjectVocabulary): TaskRule[] {
  const lists = new Set(records.map((r) => r.list));
  return [...lists].flatMap((list) => taskRulesFor(list, vocabulary.dateProperties(list)));
}

/** A device record as the tasks see it: its label only when the role is shown it. */
export function taskCaseOf(record: DeviceRecord): TaskCase {
  const label = record.properties['__label'];
  return {
    id: record.id,
    list: record.list,
    label: typeof label === 'string' ? label : '',
    status: record.status,
    properties: record.properties,
  };
}

/** The follow-up tasks of the cases this device holds (its own unsent edits included). */
export function deviceTasks(
  records: readonly DeviceRecord[],
  vocabulary: ProjectVocabulary,
  today: string,
): TaskGroups {
  return computeTasks(records.map(taskCaseOf), rulesOf(records, vocabulary), today);
}
