// The tablet case list (issue 11) in headless Debian Chromium: the device caseload (index, rows,
// overview counts, sorts, filters, search, an incremental update) over N households against core's
// bare index, and the virtualized list drawn and scrolled against a plain table of --plain rows.
// Prints one JSON array; asserts nothing. Usage: npm run bench:caselist -- --cases 100000 [--plain 5000] [--json]
import solid from 'vite-plugin-solid';
import { countFlags, runPageBench } from '../lib/pageBench.mjs';

const { cases, plain, json } = countFlags({ cases: '10000', plain: '5000' });
await runPageBench({
  name: 'caselist',
  page: new URL('./page/', import.meta.url),
  plugins: [solid()],
  chromiumArgs: ['--enable-precise-memory-info', '--js-flags=--expose-gc'],
  viewport: { width: 1024, height: 768 },
  banner: `case list bench: ${cases} cases, plain table of ${Math.min(plain, cases)} rows`,
  args: [cases, plain],
  json,
});
