import { describe, expect, it } from 'vitest';
import { runLoadBench } from './loadBench.test-support.js';

describe('bench:load smoke on SQLite (issue 14, point 6)', () => {
  it('pushes from 5 devices, every second submission with a photo, through `outpost start` with both validators: no errors, nothing lost', async () => {
    const runs = await runLoadBench([
      ...['--devices', '5', '--submissions', '4', '--batch', '2', '--db', 'sqlite'],
      ...['--photo-share', '0.5', '--photo-kb', '20'],
    ]);
    expect(runs.map((r) => r.validator)).toEqual(['compiled', 'engine']);
    for (const run of runs) {
      // lost counts photos too: an upload answered as stored whose file is not linked afterwards.
      expect(run).toMatchObject({ db: 'sqlite', devices: 5, processes: 1, photos: 10, errors: 0, lost: 0 });
      expect(run.submissions_per_s).toBeGreaterThan(0);
    }
  }, 420_000);
});
