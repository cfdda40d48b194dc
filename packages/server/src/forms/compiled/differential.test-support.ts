// One differential check: an instance judged by the ODK engine and by the compiled validator, the
// way the server judges a submission (shape first, then the rules).
import { checkInstanceShape, validateInstanceHere, type InstanceViolation } from '../formEngine.js';
import { instanceLimits } from '../../submissions/readInstance.js';
import { parseXml } from '@outpost/core';
import { validatorFor } from './compiledForms.js';

export interface Verdicts {
  /** The shape check refused the instance before either validator saw it. */
  misshapen: boolean;
  engine: InstanceViolation[];
  compiled: InstanceViolation[];
  /** Time each took on this instance. */
  engineMs: number;
  compiledMs: number;
}

export async function judgeBoth(xform: string, xml: string): Promise<Verdicts> {
  const instance = parseXml(xml, instanceLimits);
  if (checkInstanceShape(xform, instance) !== null) {
    return { misshapen: true, engine: [], compiled: [], engineMs: 0, compiledMs: 0 };
  }
  const choice = validatorFor(xform);
  if (choice.kind !== 'compiled') throw new Error(`not compiled: ${choice.reason}`);
  const t0 = performance.now();
  const compiled = choice.check(instance);
  const t1 = performance.now();
  const engine = await validateInstanceHere(xform, xml, instance);
  const t2 = performance.now();
  return { misshapen: false, engine, compiled, compiledMs: t1 - t0, engineMs: t2 - t1 };
}
