#!/usr/bin/env node
// The `outpost` command. npm links this file at install time, before anything is built, so it
// exists in the clone and only loads the compiled CLI when run.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('outpost: the CLI is not built yet; run `npm run build` (or `npm start`) first.\n');
  process.exit(1);
}
await import(main.href);
