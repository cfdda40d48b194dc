// Case search on the device: Outpost's core search against MiniSearch and FlexSearch, given the
// same folding of names, over the same synthetic caseload and queries, in headless Debian
// Chromium (quality target P5). Prints one JSON array, one object per engine; asserts nothing.
// Usage: npm run bench:search -- --cases 100000 [--queries 200] [--json]
import { countFlags, runPageBench } from '../lib/pageBench.mjs';

const { cases, queries, json } = countFlags({ cases: '10000', queries: '200' });
await runPageBench({
  name: 'search',
  page: new URL('./page/', import.meta.url),
  chromiumArgs: ['--enable-precise-memory-info', '--js-flags=--expose-gc'],
  banner: `search bench: ${cases} cases, ${queries} queries per kind`,
  args: [cases, queries],
  json,
});
