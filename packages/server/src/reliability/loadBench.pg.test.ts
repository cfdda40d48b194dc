import { describe, expect, it } from 'vitest';
import { runLoadBench } from './loadBench.test-support.js';

const adminUrl = process.env['OUTPOST_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('bench:load smoke on PostgreSQL with two processes (issue 14, point 6)', () => {
  it('pushes from 5 devices, every second submission with a photo, through a round-robin proxy: no errors, nothing lost', async () => {
    const runs = await runLoadBench([
      ...['--devices', '5', '--submissions', '4', '--batch', '2', '--db', 'postgres', '--processes', '2'],
      ...['--validator', 'compiled', '--database-url', adminUrl, '--photo-share', '0.5', '--photo-kb', '20'],
    ]);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      db: 'postgres',
      devices: 5,
      processes: 2,
      validator: 'compiled',
      photos: 10,
      errors: 0,
      lost: 0,
    });
  }, 420_000);
});
