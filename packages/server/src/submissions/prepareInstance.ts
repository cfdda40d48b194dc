import { findFormVersion } from '../storage/queries/forms.js';
import type { StoredFormVersion } from '../storage/queries/forms.js';
import { findSubmission } from '../storage/queries/submissions.js';
import type { Store } from '../storage/store.js';
import { checkInstanceShape } from '../forms/formEngine.js';
import type { InstanceViolation } from '../forms/formEngine.js';
import { validateSubmission } from '../forms/validateSubmission.js';
import { readInstance } from './readInstance.js';
import type { ReadInstanceResult } from './readInstance.js';

// What is done with a submitted instance before the transaction that stores it: read once, and
// checked against its form in the ODK engine (the costly part), so that a push batch holds its
// locks only for the writes. receiveSubmission.ts stores what this prepared.

/**
 * An instance read once, for every step that needs it (the push path's own checks, the form
 * checks, receiving), and, when that could be done ahead, checked against its form.
 */
export interface PreparedInstance {
  xml: string;
  read: ReadInstanceResult;
  /** The form version of `xml` in the project and its form checks (the ODK engine), by `checkInstance`. */
  checked?: { projectId: string; formVersion: StoredFormVersion; violations: readonly InstanceViolation[] };
}

/** Parses a submitted instance once; hand the result to checkInstance and receiveSubmission. */
export function prepareInstance(xml: string): PreparedInstance {
  return { xml, read: readInstance(xml) };
}

/**
 * What the items of one batch share, read once before they are checked: which of their instances
 * are stored already, and their form versions by project, form and version.
 */
export interface BatchReads {
  stored: ReadonlySet<string>;
  formVersions: Map<string, Promise<StoredFormVersion | undefined>>;
}

/**
 * Runs the form checks of a prepared instance (the costly part: the ODK engine) ahead of receiving
 * it, so a caller can check a whole batch before opening the one transaction that stores it. Left
 * unchecked when the instance cannot be read, its form version is unknown (receiveSubmission says
 * why) or it is stored already (a retry is answered without checks). `batch` answers those two
 * questions for the items of a batch.
 */
export async function checkInstance(
  projectId: string,
  prepared: PreparedInstance,
  store: Store,
  batch?: BatchReads,
): Promise<PreparedInstance> {
  if (!prepared.read.ok) return prepared;
  const { instance } = prepared.read;
  const stored =
    batch === undefined
      ? (await findSubmission(instance.instanceId, store)) !== undefined
      : batch.stored.has(instance.instanceId);
  if (stored) return prepared;
  const formVersion = await formVersionOf(projectId, instance, store, batch);
  if (formVersion === undefined) return prepared;
  if (checkInstanceShape(formVersion.xform, instance.root) !== null) return prepared;
  const violations = await validateSubmission(formVersion.xform, prepared.xml, instance.root);
  return { ...prepared, checked: { projectId, formVersion, violations } };
}

function formVersionOf(
  projectId: string,
  instance: { formId: string; version: string },
  store: Store,
  batch: BatchReads | undefined,
): Promise<StoredFormVersion | undefined> {
  if (batch === undefined) return findFormVersion(projectId, instance.formId, instance.version, store);
  const key = JSON.stringify([projectId, instance.formId, instance.version]);
  let found = batch.formVersions.get(key);
  if (found === undefined) {
    found = findFormVersion(projectId, instance.formId, instance.version, store);
    batch.formVersions.set(key, found);
  }
  return found;
}
