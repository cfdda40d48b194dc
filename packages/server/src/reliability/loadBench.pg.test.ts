import { describe, expect, it } from 'vitest';
import { runLoadBench } from './loadBench.test-support.js';

const adminUrl = process.env['OUTPOST_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('bench:load smoke on PostgreSQL with two processes (issue 14, point 6)', () => {
  it('pushes from 5 devices in 2 khoroos, every second submission with a photo, through a round-robin proxy: no errors, nothing lost', async () => {
    const runs = await runLoadBench([
      ...[
        '--devices',
        '5',
        '--submissions',
        '4',
        '--batch',
        '2',
        '--db',
        'postgres',
        '--processes',
        '2',
        '--areas',
        '2',
      ],
      ...['--validator', 'compiled', '--database-url', adminUrl, '--photo-share', '0.5', '--photo-kb', '20'],
    ]);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      db: 'postgres',
      devices: 5,
      processes: 2,
      validator: 'compiled',
      areas: 2,
      photos: 10,
      errors: 0,
      lost: 0,
    });
    // Devices 0, 2 and 4 register 12 households in the first khoroo, devices 1 and 3 8 in the
    // second; each device pulls only its own khoroo's cases, each at most once.
    expect(runs[0]?.pulled_records).toBeGreaterThan(0);
    expect(runs[0]?.pulled_records).toBeLessThanOrEqual(3 * 12 + 2 * 8);
  }, 420_000);
});
