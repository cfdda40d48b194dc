import type { PushAttachment } from '@outpost/core';
import { statusOf } from '@outpost/core';
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
  /** The XForm it was filled in: which answers it saves to the entity (`entities:saveto`). */
  readonly xform?: string;
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
  // What the case looks like on this device until the server's next version arrives: the saved
  // answers over what the device holds (listDeviceRecords lays this edit over the pulled data),
  // with the status the answers set, as the server derives it (core statusOf).
  const saved = instance.xform === undefined ? {} : savedProperties(instance.xform, instance.xml);
  const status = statusOf(saved) ?? (entity.create ? 'open' : null);
  return {
    item,
    record: {
      id: entity.id,
      list: entity.dataset,
      properties: {
        __projectId: instance.projectId,
        __formId: instance.formId,
        __savedAt: savedAt.toISOString(),
        ...saved,
        ...(entity.label === '' ? {} : { __label: entity.label }),
        ...(status === null ? {} : { __status: status }),
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

const entitiesNamespace = 'http://www.opendatakit.org/xforms/entities';

/**
 * The entity properties an instance sets: each bind of the XForm with `entities:saveto` whose
 * element the instance carries (a question not asked is left out, as the server leaves it).
 */
export function savedProperties(xform: string, instanceXml: string): Record<string, string> {
  if (typeof DOMParser === 'undefined') return {};
  const parser = new DOMParser();
  const form = parser.parseFromString(xform, 'application/xml');
  const doc = parser.parseFromString(instanceXml, 'application/xml');
  if (form.getElementsByTagName('parsererror').length > 0 || doc.getElementsByTagName('parsererror').length > 0) {
    return {};
  }
  const out: Record<string, string> = {};
  for (const bind of [...form.getElementsByTagName('*')].filter((e) => e.localName === 'bind')) {
    const property = bind.getAttributeNS(entitiesNamespace, 'saveto');
    const path = bind.getAttribute('nodeset');
    if (property === null || property === '' || path === null) continue;
    const steps = path.split('/').filter((step) => step !== '');
    let node: Element | null = doc.documentElement;
    if (node?.localName !== steps[0]) continue;
    for (const step of steps.slice(1)) {
      node = node === null ? null : ([...node.children].find((c) => c.localName === step) ?? null);
    }
    if (node !== null) out[property] = node.textContent?.trim() ?? '';
  }
  return out;
}
