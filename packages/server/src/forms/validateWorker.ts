// The worker thread body of validateInWorker: (XForm, instance) in, the instance's violations out.
import { parentPort } from 'node:worker_threads';
import { instanceLimits } from '../submissions/readInstance.js';
import { parseXml } from '@outpost/core';
import { loadEngine, validateInstanceHere } from './formEngine.js';

const port = parentPort;
if (port === null) throw new Error('validateWorker runs only as a worker thread');
port.on('message', (job: { xform: string; xml: string } | { warm: true }) => {
  if ('warm' in job) {
    void loadEngine().then(() => port.postMessage([]));
    return;
  }
  validateInstanceHere(job.xform, job.xml, parseXml(job.xml, instanceLimits)).then(
    (violations) => port.postMessage(violations),
    (err: unknown) => {
      throw err;
    },
  );
});
