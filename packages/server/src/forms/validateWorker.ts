// The worker task of validateInWorker: (XForm, instance) in, the instance's violations out.
import { instanceLimits } from '../submissions/readInstance.js';
import { parseXml } from '@outpost/core';
import type { InstanceViolation } from './formEngine.js';
import { loadEngine, validateInstanceHere } from './formEngine.js';
import { workerTask } from './workerTask.js';

export type ValidationJob = { xform: string; xml: string } | { warm: true };

export default workerTask<ValidationJob, InstanceViolation[]>(async (job) => {
  if ('warm' in job) {
    await loadEngine();
    return [];
  }
  return validateInstanceHere(job.xform, job.xml, parseXml(job.xml, instanceLimits));
});
