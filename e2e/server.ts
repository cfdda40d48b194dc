import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
// OUTPOST_E2E_MAIN runs the specs against another build of the CLI (same arguments, same ready line).
const cliMain = process.env['OUTPOST_E2E_MAIN'] ?? join(repoRoot, 'packages/cli/dist/main.js');
const webIndex = join(repoRoot, 'packages/web/dist/index.html');
const readyLine = /Outpost listening on (http:\/\/\S+)/;

export interface RunningServer {
  readonly url: string;
  readonly dataDir: string;
  /** Everything the server wrote, for the failure message of a test. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Seeds the demo logins and the "Bayanzürkh social protection" project. */
  readonly demo?: boolean;
  readonly readyTimeoutMs?: number;
}

/**
 * Starts the built server (`outpost start`) on a free port with a fresh data folder, as a user would.
 * Needs `npm run build` first: the CLI from `tsc -b` and the web app from vite.
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  for (const needed of [cliMain, webIndex]) {
    if (!existsSync(needed)) throw new Error(`${needed} is missing: run \`npm run build\` first`);
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'outpost-e2e-'));
  const args = [cliMain, 'start', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir];
  if (options.demo !== false) args.push('--demo');
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });

  let log = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    log += chunk;
  });

  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not say it was listening in time:\n${log}`)),
      // The demo seed receives some 1,100 submissions before the server listens: on a busy
      // machine that takes minutes.
      options.readyTimeoutMs ?? (options.demo === false ? 60_000 : 170_000),
    );
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      log += `${line}\n`;
      const match = readyLine.exec(line);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ''));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${log}`));
    });
  });

  let url: string;
  try {
    url = await ready;
  } catch (error) {
    await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  return {
    url,
    dataDir,
    output: () => log,
    async stop() {
      await stopChild(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
