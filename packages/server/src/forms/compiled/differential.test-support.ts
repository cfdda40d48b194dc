// One differential check: an instance judged by the ODK engine and by the compiled validator, the
// way the server judges a submission (shape first, then the rules).
import { checkInstanceShape, validateInstanceHere, type InstanceViolation } from '../formEngine.js';
import { validateInstance } from '../validateInWorker.js';
import { instanceLimits } from '../../submissions/readInstance.js';
import { ProblemError, parseXml } from '@outpost/core';
import { validatorFor } from './compiledForms.js';

export interface Verdicts {
  /** The shape check refused the instance before either validator saw it. */
  misshapen: boolean;
  /**
   * The engine ran out of the server's time or memory for one check (a validation worker's
   * limits), so the server would not judge it either (503): only with `engineInWorker`.
   */
  unjudged: boolean;
  engine: InstanceViolation[];
  compiled: InstanceViolation[];
  /** Time each took on this instance. */
  engineMs: number;
  compiledMs: number;
}

/**
 * `engineInWorker`: the engine judges in a validation worker, with the limits the server gives it
 * (validateInWorker), instead of on this thread. An instance can ask the engine for more than the
 * process has: a calculated `jr:count` sent as 99112233 makes it build that many repeats (the
 * compiled validator recalculates the count first).
 */
export async function judgeBoth(xform: string, xml: string, engineInWorker = false): Promise<Verdicts> {
  const instance = parseXml(xml, instanceLimits);
  if (checkInstanceShape(xform, instance) !== null) {
    return { misshapen: true, unjudged: false, engine: [], compiled: [], engineMs: 0, compiledMs: 0 };
  }
  const choice = validatorFor(xform);
  if (choice.kind !== 'compiled') throw new Error(`not compiled: ${choice.reason}`);
  const t0 = performance.now();
  const compiled = choice.check(instance);
  const t1 = performance.now();
  let engine: InstanceViolation[];
  try {
    engine = engineInWorker ? await validateInstance(xform, xml) : await validateInstanceHere(xform, xml, instance);
  } catch (err) {
    if (!(err instanceof ProblemError && err.problem.code === 'server.unavailable')) throw err;
    return { misshapen: false, unjudged: true, engine: [], compiled, engineMs: 0, compiledMs: t1 - t0 };
  }
  const t2 = performance.now();
  return { misshapen: false, unjudged: false, engine, compiled, compiledMs: t1 - t0, engineMs: t2 - t1 };
}
