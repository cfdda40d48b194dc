import type { PushAttachment } from '@outpost/core';
import { attribute, blockProperties, elementChildren, entityBlocks, ownText, parseXml, statusOf } from '@outpost/core';
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
 * What saving a finalized instance writes: the outbox item the server gets, and the records the
 * device shows at once for the entities the instance creates or updates (ODK entities: each
 * `meta/entity` with `dataset`, `id`, `create`/`update` and a `label`: the survey's own, and one
 * per repeat instance when the form makes an entity per instance, e.g. each household member).
 * `record` is the first of them (the survey's), `others` the rest. A block that declines to create
 * (`create="0"`) touches no record.
 */
export function submissionFor(
  instance: FinalizedInstance,
  savedAt: Date,
): { item: OutboxItem; record: LocalEdit | null; others: LocalEdit[] } {
  const item: OutboxItem = {
    instanceId: instance.instanceId,
    projectId: instance.projectId,
    formId: instance.formId,
    formVersion: instance.formVersion,
    xml: instance.xml,
    createdAt: savedAt.toISOString(),
    attachments: [...instance.attachments],
  };
  const saveTo = instance.xform === undefined ? [] : saveToBinds(instance.xform);
  const edits = declaredEntities(instance.xml, saveTo).map((entity): LocalEdit => {
    // What the case looks like on this device until the server's next version arrives: the saved
    // answers over what the device holds (listDeviceRecords lays this edit over the pulled data),
    // with the status the answers set, as the server derives it (core statusOf).
    const status = statusOf(entity.properties) ?? (entity.create ? 'open' : null);
    return {
      id: entity.id,
      list: entity.dataset,
      properties: {
        __projectId: instance.projectId,
        __formId: instance.formId,
        __savedAt: savedAt.toISOString(),
        ...entity.properties,
        ...(entity.label === '' ? {} : { __label: entity.label }),
        ...(status === null ? {} : { __status: status }),
      },
    };
  });
  return { item, record: edits[0] ?? null, others: edits.slice(1) };
}

interface DeclaredEntity {
  readonly dataset: string;
  readonly id: string;
  readonly label: string;
  readonly create: boolean;
  /** The `save_to` answers of this block (in its own repeat instance). */
  readonly properties: Record<string, string>;
}

const truthy = (value: string | null): boolean => value === '1' || value === 'true';

/**
 * The entities an instance declares, the survey's first and then each repeat instance's, read
 * with core's XML reader (the server reads them the same way); none when the XML is unreadable.
 */
export function declaredEntities(
  xml: string,
  saveTo: ReadonlyArray<{ nodeset: string; property: string }> = [],
): DeclaredEntity[] {
  let root;
  try {
    root = parseXml(xml);
  } catch {
    return [];
  }
  const blocks = entityBlocks(root);
  const scopes = [...new Set(blocks.map((b) => b.scope))];
  const out: DeclaredEntity[] = [];
  for (const block of blocks) {
    const dataset = attribute(block.entity, 'dataset') ?? '';
    const id = (attribute(block.entity, 'id') ?? '').trim();
    const create = truthy(attribute(block.entity, 'create'));
    const update = truthy(attribute(block.entity, 'update'));
    if (dataset === '' || id === '' || (!create && !update)) continue;
    const labelNode = elementChildren(block.entity).find((child) => child.localName === 'label');
    const label = labelNode === undefined ? '' : ownText(labelNode).trim();
    const entry = { dataset, id, label, create, properties: blockProperties(block, scopes, saveTo) };
    // The survey's own entity first: it is the record the submission is filed under.
    if (block.container === root) out.unshift(entry);
    else out.push(entry);
  }
  return out;
}

/** The entity a (single-entity) instance declares; null when there is none. */
export function declaredEntity(xml: string): Omit<DeclaredEntity, 'properties'> | null {
  const first = declaredEntities(xml)[0];
  return first === undefined
    ? null
    : { dataset: first.dataset, id: first.id, label: first.label, create: first.create };
}

const entitiesNamespace = 'http://www.opendatakit.org/xforms/entities';

/** The XForm's binds with `entities:saveto`: nodeset and property name. */
function saveToBinds(xform: string): Array<{ nodeset: string; property: string }> {
  if (typeof DOMParser === 'undefined') return [];
  const form = new DOMParser().parseFromString(xform, 'application/xml');
  if (form.getElementsByTagName('parsererror').length > 0) return [];
  return [...form.getElementsByTagName('*')]
    .filter((e) => e.localName === 'bind')
    .flatMap((bind) => {
      const property = bind.getAttributeNS(entitiesNamespace, 'saveto');
      const nodeset = bind.getAttribute('nodeset');
      return property === null || property === '' || nodeset === null ? [] : [{ nodeset, property }];
    });
}

/**
 * The entity properties an instance sets at the survey level: each bind of the XForm with
 * `entities:saveto` whose element the instance carries (a question not asked is left out, as the
 * server leaves it).
 */
export function savedProperties(xform: string, instanceXml: string): Record<string, string> {
  let root;
  try {
    root = parseXml(instanceXml);
  } catch {
    return {};
  }
  const block = { entity: root, path: `/${root.localName}`, container: root, scope: `/${root.localName}` };
  return blockProperties(block, [block.scope], saveToBinds(xform));
}
