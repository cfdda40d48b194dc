import { DuplicateFinder, duplicateSchemaOf, type DuplicateReason } from '@outpost/core';
import type { OutpostApi } from '../../api/OutpostApi.js';
import type { LocalStore } from '../../store/LocalStore.js';
import type { ValueCodec } from '../../store/ValueCodec.js';
import { listDeviceRecords, type DeviceRecord } from '../../sync/listDeviceRecords.js';
import { declaredEntity, savedProperties } from '../../sync/submissionFor.js';
import { caseListSchema } from '../cases/caseSchema.js';
import { loadProjectVocabulary, type FormWords } from './formVocabulary.js';

/**
 * The tablet's duplicate check (issue 12): before a registration is saved, core's
 * `DuplicateFinder` compares the case it would create with the device's own caseload, offline,
 * and the form screen warns with at most five cases that look like the same household head.
 */

/** One existing case the new registration looks like, with the evidence. */
export interface DuplicateSuggestion {
  readonly id: string;
  readonly label: string;
  readonly score: number;
  readonly reasons: readonly DuplicateReason[];
}

function strings(properties: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties)) if (typeof value === 'string') out[key] = value;
  return out;
}

/**
 * The cases among `records` most like the one `instanceXml` would create (at most five, best
 * first), or none when the instance creates no case. `xform` says which answers it saves.
 */
export function likelyDuplicates(input: {
  readonly records: readonly DeviceRecord[];
  readonly forms: readonly FormWords[];
  readonly xform: string;
  readonly instanceXml: string;
}): DuplicateSuggestion[] {
  const entity = declaredEntity(input.instanceXml);
  if (entity === null || !entity.create) return [];
  const properties = savedProperties(input.xform, input.instanceXml);
  const search = caseListSchema(input.forms, entity.dataset).search;
  const finder = new DuplicateFinder(duplicateSchemaOf(search, Object.keys(properties)));
  const labels = new Map<string, string>();
  for (const record of input.records) {
    if (record.list !== entity.dataset || record.id === entity.id) continue;
    labels.set(record.id, record.label);
    finder.put({ id: record.id, label: record.label, properties: strings(record.properties) });
  }
  return finder
    .similarTo({ id: entity.id, label: entity.label, properties })
    .map((c) => ({ id: c.id, label: labels.get(c.id) ?? '', score: c.score, reasons: c.reasons }));
}

/** Reads the device's caseload and the project's forms (the device's copies offline) and checks. */
export async function checkDuplicates(
  deps: {
    readonly api: Pick<OutpostApi, 'listForms' | 'getFormXml'>;
    readonly device: { readonly store: LocalStore; readonly codec: ValueCodec };
  },
  target: { readonly projectId: string; readonly formId: string; readonly version: string },
  instanceXml: string,
): Promise<DuplicateSuggestion[]> {
  const entity = declaredEntity(instanceXml);
  if (entity === null || !entity.create) return [];
  const [vocabulary, xform, records] = await Promise.all([
    loadProjectVocabulary(deps.api, target.projectId),
    deps.api.getFormXml(target.projectId, target.formId, target.version),
    listDeviceRecords(deps.device.store, { codec: deps.device.codec, projectId: target.projectId }),
  ]);
  return likelyDuplicates({ records, forms: vocabulary.forms, xform, instanceXml });
}
