import type { XmlNode } from '@outpost/core';
import { validatorFor } from './compiled/compiledForms.js';
import type { InstanceViolation } from './formEngine.js';
import { validateInstance } from './validateInWorker.js';

/** Which validator judges a form version's submissions, as the forms API reports it. */
export type ValidatorInfo = { kind: 'compiled' } | { kind: 'engine'; reason: string };

export function validatorInfo(xform: string): ValidatorInfo {
  const choice = validatorFor(xform);
  return choice.kind === 'compiled' ? { kind: 'compiled' } : { kind: 'engine', reason: choice.reason };
}

let forceEngine = false;

/** `engine` judges every submission in the ODK engine (`--validator engine`, for comparison). */
export function useValidator(kind: 'compiled' | 'engine'): void {
  forceEngine = kind === 'engine';
}

type FallbackListener = (details: { formId: string; version: string; reason: string }, message: string) => void;
let onFallback: FallbackListener | null = null;
const reported = new Set<string>();

/** Where the server says that a form version is judged by the ODK engine (its log). */
export function reportEngineFallbacks(listener: FallbackListener | null): void {
  onFallback = listener;
}

function report(xform: string, root: XmlNode, reason: string): void {
  if (reported.has(xform)) return;
  if (reported.size > 1_000) reported.clear();
  reported.add(xform);
  const formId = root.attributes.find((a) => a.localName === 'id')?.value ?? '';
  const version = root.attributes.find((a) => a.localName === 'version')?.value ?? '';
  onFallback?.({ formId, version, reason }, 'form version validated by the ODK engine');
}

/**
 * Checks a submitted instance (already parsed, its shape checked) against its form version: by
 * the version's compiled validator on this thread (a fraction of a millisecond), or, for a form
 * the compiler does not cover or an instance it cannot judge, by the ODK engine in a worker
 * (validateInWorker). Both give the same violations: the differential tests hold them equal.
 */
export async function validateSubmission(xform: string, xml: string, root: XmlNode): Promise<InstanceViolation[]> {
  if (forceEngine) return validateInstance(xform, xml);
  const choice = validatorFor(xform);
  if (choice.kind === 'compiled') {
    try {
      return choice.check(root);
    } catch (err) {
      report(xform, root, `this instance: ${err instanceof Error ? err.message : String(err)}`);
    }
  } else {
    report(xform, root, choice.reason);
  }
  return validateInstance(xform, xml);
}
