import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '@outpost/core';
import type { SignedIn, TestServer } from '@outpost/test-kit';
import { signIn, startTestServer } from '@outpost/test-kit';
import { maxJsonDepth, parseStrictJson } from './strictJson.js';

// Request bodies: encodings, credentials before bodies, nesting (issue 9, points 1, 2 and 8).
const password = 'correct horse battery';
let server: TestServer;
let bolor: SignedIn;

beforeAll(async () => {
  server = await startTestServer({ users: [{ username: 'bolor', role: 'fieldworker' }], password });
  bolor = await signIn(server.app, 'bolor', password);
});

afterAll(async () => {
  await server.close();
});

const deviceId = '7d1c8a52-0c55-4a51-9a39-4f0f43a8f6b1';

function expectProblem(res: { status: number; body: unknown }, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect((res.body as { code?: string }).code).toBe(code);
}

/** A request over a real socket, so a crash of the process or a stalled loop shows. */
async function send(
  route: string,
  body: Buffer | string,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.url}${route}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

async function healthy(): Promise<void> {
  const res = await fetch(`${server.url}/healthz`);
  expect(res.status).toBe(200);
}

function authed(extra: Record<string, string> = {}): Record<string, string> {
  return { ...bolor.headers, 'content-type': 'application/json', ...extra };
}

const pull = JSON.stringify({ protocol: PROTOCOL_VERSION, deviceId, cursors: {}, maxBytes: 256 * 1024 });

describe('gzip bodies (point 1)', () => {
  const whole = gzipSync(pull);
  const bodies: Array<[string, Buffer]> = [
    ['a few bytes that are not gzip', Buffer.from('not gzip at all')],
    ['a gzip header and garbage', Buffer.concat([whole.subarray(0, 10), Buffer.from('\u00ff\u00fe garbage')])],
    ['a gzip stream cut short', whole.subarray(0, whole.length - 6)],
    ['an empty body', Buffer.alloc(0)],
  ];

  for (const route of ['/api/v1/sync/push', '/api/v1/sync/pull', '/api/v1/sync/digest', '/api/v1/sync/plan']) {
    it.each(bodies)(`${route}: %s is a 400 problem and the server stays up`, async (_name, body) => {
      const res = await send(route, body, authed({ 'content-encoding': 'gzip' }));
      expectProblem(res, 400, 'request.malformed-encoding');
      await healthy();
    });
  }

  it('a valid gzip body still reads', async () => {
    const res = await send('/api/v1/sync/pull', gzipSync(pull), authed({ 'content-encoding': 'gzip' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it('routes that do not take gzip refuse it (and other encodings) with 415 instead of parsing the bytes', async () => {
    const res = await send(
      `/api/v1/projects/${server.projectId}/submissions`,
      Buffer.from('x'),
      authed({ 'content-type': 'application/xml', 'content-encoding': 'gzip' }),
    );
    expectProblem(res, 415, 'request.unsupported-media-type');
    const brotli = await send('/api/v1/sync/pull', pull, authed({ 'content-encoding': 'br' }));
    expectProblem(brotli, 415, 'request.unsupported-media-type');
  });

  it('a gzip bomb is cut at the route limit while inflating', async () => {
    // 1 MB of zeros per 1 KB: pull allows 1 MB inflated.
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    const res = await send('/api/v1/sync/pull', bomb, authed({ 'content-encoding': 'gzip' }));
    expectProblem(res, 413, 'request.too-large');
    await healthy();
  });
});

/** A body the test hands out chunk by chunk, counting how much the server pulled. */
function countedBody(chunks: Buffer[]): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  let next = 0;
  const stream = new Readable({
    read() {
      const chunk = chunks[next++];
      if (chunk === undefined) {
        this.push(null);
        return;
      }
      pulled += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

function chunked(body: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < body.length; i += size) out.push(body.subarray(i, i + size));
  return out;
}

function problemOf(res: LightMyRequestResponse): { status: number; body: unknown } {
  return { status: res.statusCode, body: res.json() };
}

describe('credentials before bodies (point 2)', () => {
  // A long JSON array: 16 KB of gzip inflating to about 16 MB, the push route's whole limit.
  const array = Buffer.from(`[${'0,'.repeat(8 * 1024 * 1024 - 16)}0]`);
  const inflating = gzipSync(array, { level: 9 });

  it('an anonymous gzip body that inflates to a long array is refused with 401 and never read', async () => {
    expect(inflating.length).toBeLessThan(40 * 1024);
    const body = countedBody(chunked(inflating, 1024));
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: body.stream,
    });
    expectProblem(problemOf(res), 401, 'auth.required');
    // Nothing beyond what the stream machinery reads ahead: neither inflated nor parsed.
    expect(body.pulled()).toBeLessThan(4 * 1024);
  });

  it('a plain 1 MB array to a write route without credentials is refused with 401 without being read', async () => {
    const big = Buffer.from(`[${'1,'.repeat(512 * 1024 - 1)}1]`);
    for (const url of [
      '/api/v1/users',
      `/api/v1/projects/${server.projectId}/conflicts/x/resolve`,
      '/api/v1/sync/push',
    ]) {
      const body = countedBody(chunked(big, 1024));
      const res = await server.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: body.stream,
      });
      expect(res.statusCode, url).toBe(401);
      expect(body.pulled(), url).toBeLessThan(4 * 1024);
    }
  });

  it('a body sent to an address with no route is not read either', async () => {
    const body = countedBody(chunked(Buffer.from(`[${'1,'.repeat(100_000)}1]`), 1024));
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/nothing-here',
      headers: { ...bolor.headers, 'content-type': 'application/json' },
      payload: body.stream,
    });
    expectProblem(problemOf(res), 404, 'request.not-found');
    expect(body.pulled()).toBeLessThan(4 * 1024);
  });

  it('a wrong CSRF token is refused before the body is read', async () => {
    const body = countedBody(chunked(Buffer.from(`[${'1,'.repeat(100_000)}1]`), 1024));
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/sync/pull',
      headers: { cookie: bolor.cookie, 'x-csrf-token': 'nope', 'content-type': 'application/json' },
      payload: body.stream,
    });
    expectProblem(problemOf(res), 403, 'auth.csrf');
    expect(body.pulled()).toBeLessThan(4 * 1024);
  });

  it('the login, the one anonymous write, takes a small body only', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'bolor', password: 'x'.repeat(8 * 1024) }),
    });
    expectProblem(problemOf(res), 413, 'request.too-large');
    await signIn(server.app, 'bolor', password);
  });
});

describe('nesting and repeated keys (point 8)', () => {
  it('deeply nested JSON is a 400 problem, not a 500', async () => {
    for (const depth of [maxJsonDepth + 1, 10_000, 80_000]) {
      const body = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const res = await send('/api/v1/sync/pull', body, authed());
      expectProblem(res, 400, 'request.too-deep');
      const objects = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      expectProblem(await send('/api/v1/sync/pull', objects, authed()), 400, 'request.too-deep');
    }
    await healthy();
  });

  it('parseStrictJson: nesting up to the limit reads; repeated keys are found wherever they are', () => {
    const deepest = `${'['.repeat(maxJsonDepth)}${']'.repeat(maxJsonDepth)}`;
    expect(parseStrictJson(deepest).ok).toBe(true);
    expect(parseStrictJson(`[${deepest}]`)).toMatchObject({ ok: false, reason: 'too-deep' });
    expect(parseStrictJson('{"a":1,"\\u0061":2}')).toMatchObject({
      reason: 'duplicate-key',
      detail: expect.stringContaining('/a'),
    });
    expect(parseStrictJson('[{"x":[0,{"b/c":1,"b/c":2}]}]')).toMatchObject({
      reason: 'duplicate-key',
      detail: expect.stringContaining('/0/x/1/b~1c'),
    });
    // Keys that look alike inside strings are not keys.
    expect(parseStrictJson('{"a":"{\\"a\\":1,","b":["a","a"],"c":{"a":1}}').ok).toBe(true);
    expect(parseStrictJson('{"a":{"b":1},"b":{"b":2}}').ok).toBe(true);
    expect(parseStrictJson('{"a":1,"a":1}')).toMatchObject({ reason: 'duplicate-key' });
  });
});
