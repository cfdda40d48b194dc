import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCountingProxy } from './countingProxy.mjs';
import { startShapingProxy } from './shapingProxy.mjs';

const body = Buffer.alloc(40_000, 'x');
let origin;
let originPort;
let pageDir;

beforeAll(async () => {
  pageDir = await mkdtemp(join(tmpdir(), 'outpost-bench-proxy-test-'));
  origin = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body));
  });
  await new Promise((resolve) => origin.listen(0, '127.0.0.1', resolve));
  originPort = origin.address().port;
});

afterAll(async () => {
  origin.closeAllConnections();
  await new Promise((resolve) => origin.close(resolve));
  await rm(pageDir, { recursive: true, force: true });
});

describe('the counting proxy', () => {
  it('counts each forwarded request with its headers and body, and none of the page files', async () => {
    const proxy = await startCountingProxy({
      target: `http://127.0.0.1:${originPort}`,
      forward: (path) => path.startsWith('/api/'),
      pageDir,
    });
    try {
      const upload = 'y'.repeat(5_000);
      const answer = await fetch(`${proxy.url}/api/thing`, { method: 'POST', body: upload });
      expect((await answer.arrayBuffer()).byteLength).toBe(body.length);
      await (await fetch(`${proxy.url}/missing.js`)).arrayBuffer();
      const counts = proxy.counts();
      expect(counts.requests).toBe(1);
      expect(counts.requestBytes).toBeGreaterThan(upload.length);
      expect(counts.responseBytes).toBeGreaterThan(body.length);
      expect(counts.responseBytes).toBeLessThan(body.length + 1_000);
    } finally {
      await proxy.close();
    }
  });
});

describe('the shaping proxy', () => {
  it('delivers the same bytes, no faster than its rate and delay allow', async () => {
    const link = { downKbps: 800, upKbps: 800, latencyMs: 50 };
    const shaper = await startShapingProxy({ targetPort: originPort, ...link });
    try {
      const started = performance.now();
      const answer = await fetch(`${shaper.url}/`);
      expect((await answer.arrayBuffer()).byteLength).toBe(body.length);
      const elapsedMs = performance.now() - started;
      // A lower bound only: the link cannot be faster than bytes / rate plus the round trips.
      const floorMs = ((body.length * 8) / (link.downKbps * 1000)) * 1000 + 2 * link.latencyMs;
      expect(elapsedMs).toBeGreaterThan(floorMs * 0.9);
    } finally {
      await shaper.close();
    }
  });
});
