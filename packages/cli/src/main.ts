#!/usr/bin/env node
import { processIo } from './io.js';
import { run } from './program.js';

let stop: (() => Promise<void>) | null = null;
const code = await run(process.argv.slice(2), processIo, (s) => {
  stop = s;
});
if (stop === null) {
  process.exitCode = code;
} else {
  const stopServer: () => Promise<void> = stop;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stopServer().finally(() => process.exit(0));
    });
  }
}
