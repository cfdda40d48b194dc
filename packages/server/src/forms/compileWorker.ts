// The worker task of compileInWorker: an XLSForm in, one CompiledWorkbook out.
import type { CompiledWorkbook } from './compileWorkbook.js';
import { compileWorkbookHere } from './compileWorkbook.js';
import { workerTask } from './workerTask.js';

export default workerTask<{ fileName: string; bytes: Uint8Array }, CompiledWorkbook>((job) =>
  compileWorkbookHere(job.fileName, job.bytes),
);
