import { findNode, type OpenedForm } from './openForm.js';

const xformsNs = 'http://www.w3.org/2002/xforms';

/** What an XForm says about the entity it updates (ODK entities spec, `<meta><entity update>`). */
export interface EntityUpdate {
  /** The entity list (`dataset`), e.g. `cases`. */
  readonly dataset: string;
  /** The question whose answer is the entity id: the plain reference `entity/@id` is calculated from. */
  readonly idQuestion: string;
}

/**
 * The entity a form updates and the question that chooses it, or null when the form creates
 * entities only, updates none, or computes the id from more than one question (then it cannot be
 * answered from outside). A follow-up form started from a case answers that question.
 */
export function entityUpdateOf(xform: string): EntityUpdate | null {
  const doc = new DOMParser().parseFromString(xform, 'application/xml');
  const entity = [...doc.getElementsByTagName('entity')].find(
    (e) => e.parentElement?.localName === 'meta' && e.hasAttribute('dataset'),
  );
  const dataset = entity?.getAttribute('dataset') ?? '';
  const update = entity?.getAttribute('update') ?? '';
  if (dataset === '' || update === '' || update === '0' || update === 'false()') return null;
  for (const bind of doc.getElementsByTagNameNS(xformsNs, 'bind')) {
    const nodeset = bind.getAttribute('nodeset') ?? '';
    if (!nodeset.endsWith('/meta/entity/@id')) continue;
    const calculate = (bind.getAttribute('calculate') ?? '').trim();
    return /^(\/[A-Za-z_][\w.-]*)+$/.test(calculate) ? { dataset, idQuestion: calculate } : null;
  }
  return null;
}

/**
 * Answers the question that chooses the entity of a new instance with `entityId`: the household
 * of a visit started from its case. False when the form has no such question (nothing changed).
 */
export function startFromEntity(form: OpenedForm, update: EntityUpdate, entityId: string): boolean {
  const node = findNode(form.root, (n) => n.currentState.reference === update.idQuestion);
  if (node === undefined || node.currentState.readonly) return false;
  if (node.nodeType === 'select') {
    node.selectValue(entityId);
    return true;
  }
  if (node.nodeType === 'input' && node.valueType === 'string') {
    node.setValue(entityId);
    return true;
  }
  return false;
}
