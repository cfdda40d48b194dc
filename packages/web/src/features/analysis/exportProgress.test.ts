import { describe, expect, it } from 'vitest';
import type { ExportJob } from '../../api/AnalysisApi.js';
import { exportPercent, watchExport } from './exportProgress.js';

const job = (over: Partial<ExportJob>): ExportJob => ({
  id: 'j1',
  state: 'running',
  written: 0,
  total: 1000,
  format: 'csv',
  fileName: 'f.csv.zip',
  error: null,
  ...over,
});

/** A server double whose export writes 400 rows a request and finishes at 1000. */
function fakeServer() {
  let written = 0;
  let cancelled = false;
  const asked: string[] = [];
  return {
    asked,
    cancelled: () => cancelled,
    api: {
      exportProgress: (_projectId: string, id: string) => {
        asked.push(id);
        if (cancelled) return Promise.reject(new Error('export.not-found'));
        written = Math.min(1000, written + 400);
        return Promise.resolve(job({ written, state: written === 1000 ? 'done' : 'running' }));
      },
      cancelExport: () => {
        cancelled = true;
        return Promise.resolve();
      },
    },
  };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('watching an export', () => {
  it('reports rows written of the total until the export is done, then stops asking', async () => {
    const server = fakeServer();
    const seen: ExportJob[] = [];
    watchExport(server.api, 'p1', job({}), { onUpdate: (j) => seen.push(j), onError: (e) => seen.push(e as never) }, 1);
    await settle(60);
    expect(seen.map((j) => [j.written, j.state])).toEqual([
      [400, 'running'],
      [800, 'running'],
      [1000, 'done'],
    ]);
    expect(seen.map(exportPercent)).toEqual([40, 80, 100]);
    const asked = server.asked.length;
    await settle(20);
    expect(server.asked.length).toBe(asked);
  });

  it('cancels: the server is told, the last update says cancelled, and nobody asks again', async () => {
    const server = fakeServer();
    const seen: ExportJob[] = [];
    const watch = watchExport(
      server.api,
      'p1',
      job({}),
      { onUpdate: (j) => seen.push(j), onError: () => undefined },
      5,
    );
    await settle(8);
    await watch.cancel();
    expect(server.cancelled()).toBe(true);
    expect(seen.at(-1)?.state).toBe('cancelled');
    const asked = server.asked.length;
    await settle(30);
    expect(server.asked.length).toBe(asked);
  });

  it('gives 0% for an export of nothing still starting and never more than 100%', () => {
    expect(exportPercent(job({ total: 0 }))).toBe(0);
    expect(exportPercent(job({ written: 1200, total: 1000 }))).toBe(100);
    expect(exportPercent(job({ written: 1, total: 3 }))).toBe(33);
  });
});
