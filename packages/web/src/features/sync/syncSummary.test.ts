import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../sync/SyncStatus.js';
import { syncSummary } from './syncSummary.js';

const base: SyncStatus = {
  phase: 'idle',
  pending: 0,
  rejected: 0,
  lastSuccessAt: '2026-05-01T08:00:00.000Z',
  lastAttemptAt: '2026-05-01T08:00:00.000Z',
  error: null,
  nextAttemptAt: null,
  progress: null,
};
const time = (iso: string): string => iso.slice(11, 16);

describe('the header sync line', () => {
  it('says synced only after a complete sync with nothing waiting', () => {
    expect(syncSummary(base, time)).toEqual({ tone: 'ok', key: 'sync.state.synced', params: { time: '08:00' } });
  });

  it('never says synced while a failure stands, even with an earlier success', () => {
    const failed: SyncStatus = {
      ...base,
      error: { code: 'server.unavailable', status: 503, retryable: true, at: '2026-05-01T09:00:00.000Z' },
      phase: 'waiting',
    };
    expect(syncSummary(failed, time)).toMatchObject({ tone: 'error', key: 'sync.state.failed' });
  });

  it('counts what waits and what was refused', () => {
    expect(syncSummary({ ...base, pending: 2 }, time)).toMatchObject({
      key: 'sync.state.pending',
      params: { count: 2 },
    });
    expect(syncSummary({ ...base, pending: 2, rejected: 1 }, time)).toMatchObject({
      key: 'sync.state.rejected',
      params: { count: 1 },
    });
    expect(syncSummary({ ...base, phase: 'offline', pending: 3 }, time)).toMatchObject({
      tone: 'offline',
      params: { count: 3 },
    });
  });

  it('shows progress while syncing', () => {
    const syncing: SyncStatus = {
      ...base,
      phase: 'syncing',
      progress: { stage: 'pull', recordsDone: 50, recordsTotal: 200, bytesDone: 1000, bytesTotal: 4000, etaMs: 3000 },
    };
    expect(syncSummary(syncing, time)).toEqual({
      tone: 'busy',
      key: 'sync.state.syncingPercent',
      params: { percent: 25 },
    });
  });
});
