import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// The built server started as a user starts it (`outpost start`), so a test can kill -9 the real
// process. Needs `npm run build` first, as the e2e tests do.

export const cliMain = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));
const readyLine = /Outpost listening on (http:\/\/\S+)/;

export function requireBuiltCli(): void {
  if (!existsSync(cliMain)) {
    throw new Error(`${cliMain} is missing: run \`npm run build\` first (this test starts the built server)`);
  }
}

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  /** SIGKILL: no shutdown code runs, as in a power cut. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<void>;
}

export async function startServerProcess(
  dataDir: string,
  readyTimeoutMs = 60_000,
  extraArgs: readonly string[] = [],
): Promise<ServerProcess> {
  requireBuiltCli();
  const child = spawn(
    process.execPath,
    [
      cliMain,
      'start',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    log += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start in time:\n${log}`));
    }, readyTimeoutMs);
    if (child.stdout === null) throw new Error('no stdout');
    createInterface({ input: child.stdout }).on('line', (line) => {
      log += `${line}\n`;
      const match = readyLine.exec(line);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ''));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before listening:\n${log}`));
    });
  });
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    url,
    child,
    output: () => log,
    async kill9() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (alive()) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
