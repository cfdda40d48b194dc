import type { PushAttachment } from '@outpost/core';
import type { LocalEdit, OutboxItem } from '../store/saveRecord.js';

/** A finalized form instance as the form screen hands it over. */
export interface FinalizedInstance {
  readonly projectId: string;
  readonly formId: string;
  readonly formVersion: string;
  readonly instanceId: string;
  readonly xml: string;
  /** The files the instance names, already hashed (the bytes go to the attachment queue). */
  readonly attachments: readonly PushAttachment[];
}

/**
 * What saving a finalized instance writes: the outbox item the server gets, and the record the
 * device shows at once when the instance creates or updates an entity (ODK entities:
 * `meta/entity` with `dataset`, `id`, `create`/`update` and a `label`). An instance that declares
 * no entity, or declines to create one (`create="0"`), touches no record.
 */
export function submissionFor(
  instance: FinalizedInstance,
  savedAt: Date,
): { item: OutboxItem; record: LocalEdit | null } {
  const item: OutboxItem = {
    instanceId: instance.instanceId,
    projectId: instance.projectId,
    formId: instance.formId,
    formVersion: instance.formVersion,
    xml: instance.xml,
    createdAt: savedAt.toISOString(),
    attachments: [...instance.attachments],
  };
  const entity = declaredEntity(instance.xml);
  if (entity === null) return { item, record: null };
  return {
    item,
    record: {
      id: entity.id,
      list: entity.dataset,
      properties: {
        __projectId: instance.projectId,
        __formId: instance.formId,
        __savedAt: savedAt.toISOString(),
        ...(entity.label === '' ? {} : { __label: entity.label }),
        ...(entity.create ? { __status: 'open' } : {}),
      },
    },
  };
}

interface DeclaredEntity {
  readonly dataset: string;
  readonly id: string;
  readonly label: string;
  readonly create: boolean;
}

const truthy = (value: string | null): boolean => value === '1' || value === 'true';

/** The entity an instance declares, read with the platform's XML parser; null when there is none. */
export function declaredEntity(xml: string): DeclaredEntity | null {
  if (typeof DOMParser === 'undefined') return null;
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return null;
  const entity = [...doc.getElementsByTagName('*')].find(
    (element) => element.localName === 'entity' && element.parentElement?.localName === 'meta',
  );
  if (entity === undefined) return null;
  const dataset = entity.getAttribute('dataset') ?? '';
  const id = (entity.getAttribute('id') ?? '').trim();
  const create = truthy(entity.getAttribute('create'));
  const update = truthy(entity.getAttribute('update'));
  if (dataset === '' || id === '' || (!create && !update)) return null;
  const label = [...entity.children].find((child) => child.localName === 'label')?.textContent?.trim() ?? '';
  return { dataset, id, label, create };
}
