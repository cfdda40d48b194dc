// One differential check: an instance judged by the ODK engine and by the compiled validator, the
// way the server judges a submission (shape first, then the rules).
import { checkInstanceShape, validateInstanceHere, type InstanceViolation } from '../formEngine.js';
import { instanceLimits } from '../../submissions/readInstance.js';
import type { XmlNode } from '@outpost/core';
import { elementChildren, parseXml, textContent } from '@outpost/core';
import { validatorFor } from './compiledForms.js';

export interface Verdicts {
  /** The shape check refused the instance before either validator saw it. */
  misshapen: boolean;
  /** The engine was not asked: the instance sends a repeat count it would build (see `engineCannotJudge`). */
  unjudged: boolean;
  engine: InstanceViolation[];
  compiled: InstanceViolation[];
  /** Time each took on this instance. */
  engineMs: number;
  compiledMs: number;
}

/** The most repeat instances a sent count may ask of the engine here (the compiled validator's own bound). */
const ENGINE_COUNT_LIMIT = 1_000;

/**
 * Whether the instance sends, for a `jr:count` that names a question (`/data/repeat_count`), a
 * number above ENGINE_COUNT_LIMIT. The engine builds that many repeats from the sent value before
 * it recalculates the question (a calculated count sent as 99112233 took the test process's whole
 * heap); the compiled validator recalculates first. On the server the engine runs in a worker with
 * a memory limit, so such a submission is answered 503 there, never judged.
 */
function engineCannotJudge(xform: string, instance: XmlNode): boolean {
  for (const [, path = ''] of xform.matchAll(/jr:count="\s*(\/[\w/-]+)\s*"/g)) {
    const [, first, ...steps] = path.split('/');
    if (first !== instance.localName) continue;
    let node: XmlNode | undefined = instance;
    for (const step of steps)
      node = node === undefined ? undefined : elementChildren(node).find((c) => c.localName === step);
    if (node !== undefined && Number(textContent(node).trim()) > ENGINE_COUNT_LIMIT) return true;
  }
  return false;
}

export async function judgeBoth(xform: string, xml: string): Promise<Verdicts> {
  const instance = parseXml(xml, instanceLimits);
  if (checkInstanceShape(xform, instance) !== null) {
    return { misshapen: true, unjudged: false, engine: [], compiled: [], engineMs: 0, compiledMs: 0 };
  }
  const choice = validatorFor(xform);
  if (choice.kind !== 'compiled') throw new Error(`not compiled: ${choice.reason}`);
  const t0 = performance.now();
  const compiled = choice.check(instance);
  const t1 = performance.now();
  if (engineCannotJudge(xform, instance)) {
    return { misshapen: false, unjudged: true, engine: [], compiled, engineMs: 0, compiledMs: t1 - t0 };
  }
  const engine = await validateInstanceHere(xform, xml, instance);
  const t2 = performance.now();
  return { misshapen: false, unjudged: false, engine, compiled, compiledMs: t1 - t0, engineMs: t2 - t1 };
}
