// The worker task of exportForm: builds an export's files from pages of submissions that
// the main thread reads from the store and sends on request, and sends the bytes back as they are
// written. Talks in the messages of `ExportMessage` (exportForm.ts answers them).
import { Writable } from 'node:stream';
import type { ExportedSubmission } from '../storage/queries/exports.js';
import { ExportError, writeExport } from './exportWriters.js';
import type { ExportJob } from './exportWriters.js';
import { workerTask } from '../forms/workerTask.js';

/** What the worker says: asks for a page, hands over bytes, counts progress, or ends. */
export type ExportMessage =
  | { kind: 'page'; after: number }
  | { kind: 'chunk'; bytes: Uint8Array }
  | { kind: 'progress'; submissions: number }
  | { kind: 'done' }
  | { kind: 'refused'; message: string };

const CHUNK = 256 * 1024;
export default workerTask<{ job: ExportJob }, null>(async (message, channel) => {
  const say = (said: ExportMessage, transfer: ArrayBuffer[] = []): void => channel.say(said, transfer);
  let answerPage: ((rows: ExportedSubmission[]) => void) | null = null;
  channel.onAnswer((answer) => {
    const rows = (answer as { rows: ExportedSubmission[] }).rows;
    const waiting = answerPage;
    answerPage = null;
    waiting?.(rows);
  });
  // Bytes go over in slices of at least CHUNK (fflate and exceljs write many small pieces): few
  // messages, so the main thread never has a long queue of them to work through at once.
  let held: Buffer[] = [];
  let heldBytes = 0;
  const send = (): void => {
    if (heldBytes === 0) return;
    const bytes = new Uint8Array(Buffer.concat(held, heldBytes));
    held = [];
    heldBytes = 0;
    say({ kind: 'chunk', bytes }, [bytes.buffer]);
  };
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes >= CHUNK) send();
      callback();
    },
  });
  const source = (after: number): Promise<ExportedSubmission[]> =>
    new Promise((resolve) => {
      send();
      answerPage = resolve;
      say({ kind: 'page', after });
    });
  try {
    await writeExport(message.job, source, out, (n) => say({ kind: 'progress', submissions: n }));
    send();
    say({ kind: 'done' });
  } catch (err) {
    if (err instanceof ExportError) say({ kind: 'refused', message: err.message });
    else throw err;
  }
  return null;
});
