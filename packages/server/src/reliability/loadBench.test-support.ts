import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { requireBuiltCli } from './serverProcess.test-support.js';

// Runs `npm run bench:load` (bench/load/run.mjs) at a tiny size and returns its JSON lines, so CI
// notices when the benchmark stops working or starts losing acknowledged submissions.

const runScript = fileURLToPath(new URL('../../../../bench/load/run.mjs', import.meta.url));

export interface LoadBenchRun {
  db: string;
  devices: number;
  processes: number;
  areas: number;
  validator: string;
  submissions_per_s: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  photos: number;
  errors: number;
  lost: number;
  pulled_records: number;
}

export async function runLoadBench(args: readonly string[]): Promise<LoadBenchRun[]> {
  requireBuiltCli();
  const { stdout } = await promisify(execFile)(process.execPath, [runScript, ...args, '--json'], {
    maxBuffer: 10_000_000,
    timeout: 400_000, // a busy shared machine: the smoke checks behaviour, never time
  });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LoadBenchRun);
}
