// The queue against the real server over loopback, through a proxy that cuts the connection.
import { createHash, randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer } from '@outpost/test-kit';
import type { TestServer } from '@outpost/test-kit';
import { createMemoryStore } from '../store/memoryStore.js';
import { createAttachmentQueue } from './createAttachmentQueue.js';

const password = 'correct horse battery';
let server: TestServer;
let app: TestServer['app'];
let serverPort: number;
let projectId: string;
let auth: Record<string, string>;

/** A TCP proxy on 127.0.0.1 that drops the connection once `dropAfter` request bytes went through. */
interface CuttingProxy {
  url: string;
  dropAfter: number | null;
  drops: number;
  forwarded: number;
  close(): Promise<void>;
}

async function cuttingProxy(): Promise<CuttingProxy> {
  const sockets = new Set<net.Socket>();
  const proxy: CuttingProxy = { url: '', dropAfter: null, drops: 0, forwarded: 0, close: async () => undefined };
  const server = net.createServer((client) => {
    const upstream = net.connect(serverPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      proxy.forwarded += chunk.length;
      if (proxy.dropAfter !== null && proxy.forwarded >= proxy.dropAfter) {
        proxy.dropAfter = null;
        proxy.drops += 1;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    for (const s of [client, upstream]) s.on('error', () => undefined);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  proxy.url = `http://127.0.0.1:${address.port}`;
  proxy.close = () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return proxy;
}

function photo(bytes: number, seed: number): Blob {
  const out = new Uint8Array(bytes);
  let x = seed;
  for (let i = 0; i < bytes; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return new Blob([out], { type: 'image/jpeg' });
}

async function hashOf(blob: Blob): Promise<string> {
  return createHash('sha256')
    .update(new Uint8Array(await blob.arrayBuffer()))
    .digest('hex');
}

async function serverCopy(sha256: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${serverPort}/api/v1/projects/${projectId}/attachments/${sha256}`, {
    headers: auth,
  });
  expect(res.status).toBe(200);
  return createHash('sha256')
    .update(new Uint8Array(await res.arrayBuffer()))
    .digest('hex');
}

beforeAll(async () => {
  server = await startTestServer({ users: [{ username: 'bolor', role: 'fieldworker' }], password });
  ({ app, projectId, port: serverPort } = server);
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'bolor', password },
  });
  const cookie = login.cookies.find((c) => c.name === 'outpost_session');
  if (!cookie) throw new Error(login.body);
  auth = { cookie: `outpost_session=${cookie.value}`, 'x-csrf-token': login.json<{ csrfToken: string }>().csrfToken };
}, 60_000);

afterAll(async () => {
  await server.close();
});

it('finishes an upload whose connection is killed mid-way, resuming instead of restarting', async () => {
  const proxy = await cuttingProxy();
  try {
    const local = createMemoryStore();
    const seen: number[] = [];
    const queue = createAttachmentQueue({
      store: local,
      baseUrl: proxy.url,
      headers: () => auth,
      retryDelays: [50, 100, 200],
      chunkSize: 8 * 1024 * 1024,
      onProgress: (p) => seen.push(p.bytesSent),
    });
    const blob = photo(3 * 1024 * 1024, 42);
    const sha256 = await queue.enqueue(blob, { projectId, instanceId: `uuid:${randomUUID()}`, name: 'door.jpg' });
    proxy.dropAfter = 1_200_000;

    const result = await queue.run();

    expect(result).toEqual({ uploaded: 1, linked: 0, failed: [] });
    expect(proxy.drops).toBe(1);
    // Everything went through about once: the second PATCH started at the server's offset.
    expect(proxy.forwarded).toBeLessThan(blob.size * 1.5);
    expect(await serverCopy(sha256)).toBe(await hashOf(blob));
    expect(await queue.progress()).toEqual({ pending: 0, bytesSent: 0, bytesTotal: 0 });
    expect(seen.length).toBeGreaterThan(0);
  } finally {
    await proxy.close();
  }
});

it('gives back a queued file until it is sent, then nothing (the server has it)', async () => {
  const local = createMemoryStore();
  const queue = createAttachmentQueue({ store: local, baseUrl: server.url, headers: () => auth });
  const blob = photo(200_000, 7);
  const sha256 = await queue.enqueue(blob, { projectId, instanceId: `uuid:${randomUUID()}`, name: 'yard.jpg' });
  const queued = await queue.read(sha256);
  expect(queued === null ? null : await hashOf(queued)).toBe(await hashOf(blob));
  expect(await queue.run()).toEqual({ uploaded: 1, linked: 0, failed: [] });
  expect(await queue.read(sha256)).toBeNull();
  expect(await queue.read('0'.repeat(64))).toBeNull();
});

it('resumes after a reload from the upload URL kept in the queue, and sends a known file no more', async () => {
  const proxy = await cuttingProxy();
  try {
    const local = createMemoryStore();
    const options = {
      store: local,
      baseUrl: proxy.url,
      headers: () => auth,
      retryDelays: [],
      chunkSize: 8 * 1024 * 1024,
    };
    const blob = photo(2 * 1024 * 1024, 7);
    const instanceId = `uuid:${randomUUID()}`;
    const first = createAttachmentQueue(options);
    await first.enqueue(blob, { projectId, instanceId, name: 'a.jpg' });
    proxy.dropAfter = 1_000_000;
    const cut = await first.run();
    expect(cut.failed).toMatchObject([{ code: 'network', final: false }]);

    // A new page load: a fresh queue over the same device store.
    const before = proxy.forwarded;
    const second = createAttachmentQueue(options);
    expect(await second.run()).toEqual({ uploaded: 1, linked: 0, failed: [] });
    expect(proxy.forwarded - before).toBeLessThan(blob.size);

    // The same photo attached elsewhere is linked, not uploaded again.
    await second.enqueue(blob, { projectId, instanceId, name: 'b.jpg' });
    const sentBefore = proxy.forwarded;
    expect(await second.run()).toEqual({ uploaded: 0, linked: 1, failed: [] });
    expect(proxy.forwarded - sentBefore).toBeLessThan(10_000);
  } finally {
    await proxy.close();
  }
});
