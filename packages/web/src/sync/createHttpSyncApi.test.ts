import { PROTOCOL_VERSION } from '@outpost/core';
import { transportWith } from '../transport/transportWith.test-support.js';
import type { FetchLike } from '../transport/createTransport.js';
import type { PushRequest } from '@outpost/core';
import { describe, expect, it } from 'vitest';
import { createHttpSyncApi } from './createHttpSyncApi.js';
import { SyncFailure } from './SyncFailure.js';

const push = (items: number): PushRequest => ({
  protocol: PROTOCOL_VERSION,
  deviceId: 'device-1',
  fromSeq: 1,
  throughSeq: items,
  items: Array.from({ length: items }, (_, i) => ({
    seq: i + 1,
    instanceId: `uuid:${i + 1}`,
    projectId: 'p1',
    formId: 'f',
    formVersion: '1',
    xml: `<data><note>${'x'.repeat(200)}</note></data>`,
    createdAt: '2026-05-01T07:00:00Z',
    attachments: [],
  })),
});

async function gunzip(body: BodyInit | null | undefined): Promise<string> {
  const bytes = body as Uint8Array<ArrayBuffer>;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('the HTTP sync client', () => {
  it('gzips a large push body and reads the acknowledgement', async () => {
    let sent: { headers: Record<string, string>; text: string } | undefined;
    const fetch: FetchLike = async (_url, init) => {
      const headers = init.headers as Record<string, string>;
      sent = {
        headers,
        text:
          headers['content-encoding'] === 'gzip'
            ? await gunzip(init.body)
            : new TextDecoder().decode(init.body as Uint8Array),
      };
      return json(200, { ackedThrough: 10, results: [] });
    };
    const api = createHttpSyncApi({
      transport: transportWith({
        fetch,
        credentials: async () => ({ authorization: 'Bearer token-token-token-token' }),
      }),
    });

    const { body } = await api.push(push(10));

    expect(sent?.headers['content-encoding']).toBe('gzip');
    expect(sent?.headers['authorization']).toBe('Bearer token-token-token-token');
    expect((JSON.parse(sent?.text ?? '{}') as PushRequest).items).toHaveLength(10);
    expect(body.ackedThrough).toBe(10);
  });

  it('turns a problem answer into a failure with its retry hint and wipe directive', async () => {
    const wipe = { reason: 'device-revoked', issuedAt: '2026-05-01T07:59:00Z' };
    const fetch: FetchLike = async () =>
      json(401, { type: 'about:blank', title: 'Revoked', status: 401, code: 'auth.device-revoked', wipe });
    const api = createHttpSyncApi({ transport: transportWith({ fetch, credentials: async () => ({}) }) });

    const error = await api
      .pull({ protocol: PROTOCOL_VERSION, deviceId: 'd', cursors: {}, maxBytes: 65_536 })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SyncFailure);
    expect(error).toMatchObject({ status: 401, code: 'auth.device-revoked', wipe, retryable: false });
  });

  it('treats a cut-off answer as a transient failure', async () => {
    const fetch: FetchLike = async () => new Response('{"records":[["a","cases"', { status: 200 });
    const api = createHttpSyncApi({ transport: transportWith({ fetch, credentials: async () => ({}) }) });

    const error = await api
      .pull({ protocol: PROTOCOL_VERSION, deviceId: 'd', cursors: {}, maxBytes: 65_536 })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'sync.bad-response', retryable: true });
  });

  it('fetches a fresh CSRF token once when the server refuses the cached one', async () => {
    const tokens: string[] = [];
    const fetch: FetchLike = async (_url, init) => {
      const token = (init.headers as Record<string, string>)['x-csrf-token'] ?? '';
      tokens.push(token);
      return token === 'fresh'
        ? json(200, { scopes: [] })
        : json(403, { type: 'about:blank', title: 'CSRF', status: 403, code: 'auth.csrf' });
    };
    const api = createHttpSyncApi({
      transport: transportWith({
        fetch,
        credentials: async ({ refresh }) => ({ 'x-csrf-token': refresh ? 'fresh' : 'stale' }),
      }),
    });

    await api.digest({
      protocol: PROTOCOL_VERSION,
      deviceId: 'd',
      scopes: [{ scope: 's', cursor: 0, count: 0, hash: '0000000000000000' }],
    });

    expect(tokens).toEqual(['stale', 'fresh']);
  });

  it('reports no answer at all as unreachable', async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    const api = createHttpSyncApi({ transport: transportWith({ fetch, credentials: async () => ({}) }) });
    const error = await api.push(push(1)).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0, code: 'network.unreachable', retryable: true });
  });
});
