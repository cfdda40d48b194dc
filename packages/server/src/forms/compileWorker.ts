// The worker thread body of compileInWorker: XLSForms in, one CompiledWorkbook out for each.
import { parentPort } from 'node:worker_threads';
import { compileWorkbookHere } from './compileWorkbook.js';

const port = parentPort;
if (port === null) throw new Error('compileWorker runs only as a worker thread');
port.on('message', (job: { fileName: string; bytes: Uint8Array }) => {
  compileWorkbookHere(job.fileName, job.bytes).then(
    (result) => port.postMessage(result),
    (err: unknown) => {
      throw err;
    },
  );
});
