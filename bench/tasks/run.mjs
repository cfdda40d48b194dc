// Follow-up tasks on the device (issue 11, P5): N sealed cases in IndexedDB → the grouped task
// list, in headless Debian Chromium; Outpost's computeTasks against the obvious Date-based way, on
// the same records in the same run. Prints one JSON array, one object per engine; asserts nothing.
// Usage: npm run bench:tasks -- [--cases 10000] [--rounds 5] [--json]
import { countFlags, runPageBench } from '../lib/pageBench.mjs';

const { cases, rounds, json } = countFlags({ cases: '10000', rounds: '5' });
await runPageBench({
  name: 'tasks',
  page: new URL('./page/', import.meta.url),
  banner: `tasks bench: ${cases} sealed cases, ${rounds} rounds`,
  args: [cases, rounds],
  json,
});
