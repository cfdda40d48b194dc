import type { XmlNode } from '@outpost/core';
import type { InstanceViolation } from '../formEngine.js';
import { typeViolations } from '../formEngine.js';
import { judge } from './compiledValidator.js';
import { readFormRules } from './formRules.js';

/** How a form version's submissions are checked: compiled, or by the ODK engine and why. */
export type ValidatorChoice =
  { kind: 'compiled'; check(instance: XmlNode): InstanceViolation[] } | { kind: 'engine'; reason: string };

const cache = new Map<string, ValidatorChoice>();
const CACHE_LIMIT = 200;

/**
 * The validator of one form version, compiled on first use and kept (least recently used out).
 * Keyed by the XForm text, as the engine's cache is: a published version never changes.
 */
export function validatorFor(xform: string): ValidatorChoice {
  let choice = cache.get(xform);
  if (choice !== undefined) {
    cache.delete(xform);
    cache.set(xform, choice);
    return choice;
  }
  const read = readFormRules(xform);
  if (read.ok) {
    const rules = read.rules;
    choice = {
      kind: 'compiled',
      check: (instance) => {
        const typed = typeViolations(xform, instance);
        return typed.length > 0 ? typed : judge(rules, instance);
      },
    };
  } else {
    choice = { kind: 'engine', reason: read.reason };
  }
  cache.set(xform, choice);
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return choice;
}
