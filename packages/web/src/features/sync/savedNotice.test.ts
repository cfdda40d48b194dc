import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../sync/SyncStatus.js';
import { savedNotice } from './savedNotice.js';

const savedAt = '2026-12-07T08:00:00.000Z';
const status = (over: Partial<SyncStatus>): SyncStatus => ({
  phase: 'idle',
  pending: 1,
  rejected: 0,
  lastSuccessAt: null,
  lastAttemptAt: null,
  error: null,
  nextAttemptAt: null,
  progress: null,
  ...over,
});

describe('the notice after a form is saved on the device', () => {
  it('says it waits for a connection only when offline', () => {
    expect(savedNotice(status({ phase: 'offline' }), savedAt)).toBe('form.savedOnDevice');
    expect(savedNotice(undefined, savedAt)).toBe('form.savedOnDevice');
  });

  it('says it is being sent now while online', () => {
    expect(savedNotice(status({ phase: 'syncing' }), savedAt)).toBe('form.savedSending');
    expect(savedNotice(status({ phase: 'idle', pending: 1 }), savedAt)).toBe('form.savedSending');
    // An earlier sync's success is not this form's.
    expect(savedNotice(status({ pending: 0, lastSuccessAt: '2026-12-07T07:00:00.000Z' }), savedAt)).toBe(
      'form.savedSending',
    );
  });

  it('says it was sent once a sync after the save finished with nothing waiting', () => {
    expect(savedNotice(status({ pending: 0, lastSuccessAt: '2026-12-07T08:00:05.000Z' }), savedAt)).toBe(
      'form.savedAndSent',
    );
  });

  it('says sending failed and is tried again, online', () => {
    const error = { code: 'server.unavailable', status: 503, retryable: true, at: savedAt };
    expect(savedNotice(status({ phase: 'waiting', error }), savedAt)).toBe('form.savedRetrying');
  });
});
