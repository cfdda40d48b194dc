import { DigestResult, PullPage, PushResult, SyncError, decodeMessage } from '@outpost/core';
import type { DecodeResult } from '@outpost/core';
import type { SyncApi, Transfer } from './SyncApi.js';
import { SyncFailure } from './SyncFailure.js';
import { decodeSyncPlan } from './SyncPlan.js';
import { ApiProblem } from '../transport/ApiProblem.js';
import type { Transport } from '../transport/createTransport.js';
import { problemFrom } from '../transport/problemFrom.js';

/**
 * What the sync client needs of the app's transport (`createTransport`): how a request proves who
 * sends it — a device token (`Authorization: Bearer`, issued at a login that named the device) or
 * the browser session (cookie plus its CSRF token, fetched again when `refresh`: the server refused
 * it) — and the plain request, whose refusals it decodes with `problemFrom`.
 */
export type SyncTransport = Pick<Transport, 'credentials' | 'fetch'>;

export interface HttpSyncApiOptions {
  readonly transport: SyncTransport;
  /** Gzip request bodies with CompressionStream where the browser has it; true by default. */
  readonly compress?: boolean;
}

/** Smaller bodies are not worth the CPU of a tablet. */
const compressFromBytes = 1_024;
const utf8 = new TextEncoder();

export function createHttpSyncApi(options: HttpSyncApiOptions): SyncApi {
  const { transport } = options;
  const compress = options.compress !== false && typeof CompressionStream === 'function';

  async function post<T>(
    path: string,
    message: unknown,
    decode: (value: unknown) => DecodeResult<T>,
  ): Promise<Transfer<T>> {
    const json = utf8.encode(JSON.stringify(message));
    const gzip = compress && json.byteLength >= compressFromBytes;
    const body = gzip ? await gzipBytes(json) : json;
    const send = async (refresh: boolean): Promise<Response> => {
      const headers: Record<string, string> = {
        ...(await transport.credentials({ refresh })),
        accept: 'application/json',
        'content-type': 'application/json',
      };
      if (gzip) headers['content-encoding'] = 'gzip';
      try {
        return await transport.fetch(path, { method: 'POST', headers, body, credentials: 'same-origin' });
      } catch (cause) {
        throw new SyncFailure({
          status: 0,
          code: 'network.unreachable',
          detail: cause instanceof ApiProblem ? cause.detail : messageOf(cause),
        });
      }
    };
    let response = await send(false);
    if (response.status === 403) {
      const failure = await failureFrom(response);
      if (failure.code !== 'auth.csrf') throw failure;
      response = await send(true);
    }
    if (!response.ok) throw await failureFrom(response);
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      // The connection broke while the body was arriving.
      throw new SyncFailure({ status: 0, code: 'network.unreachable', detail: messageOf(cause) });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new SyncFailure({
        status: 502,
        code: 'sync.bad-response',
        detail: 'The server answer was cut off or is not JSON.',
      });
    }
    const decoded = decode(parsed);
    if (!decoded.ok) {
      throw new SyncFailure({ status: 502, code: 'sync.bad-response', detail: `${decoded.path}: ${decoded.message}` });
    }
    const received = Number(response.headers.get('content-length') ?? Number.NaN);
    return {
      body: decoded.value,
      bytes: body.byteLength + (Number.isFinite(received) ? received : utf8.encode(text).byteLength),
    };
  }

  return {
    push: (request) => post('/sync/push', request, (value) => decodeMessage(PushResult, value)),
    pull: (request) => post('/sync/pull', request, (value) => decodeMessage(PullPage, value)),
    digest: (request) => post('/sync/digest', request, (value) => decodeMessage(DigestResult, value)),
    plan: (request) => post('/sync/plan', request, decodeSyncPlan),
  };
}

async function gzipBytes(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function failureFrom(response: Response): Promise<SyncFailure> {
  // The same problem decoding as every request; the sync protocol's problem adds a retry hint and wipe.
  const { body } = await problemFrom(response);
  const header = Number(response.headers.get('retry-after') ?? Number.NaN);
  const retryAfterHeader = Number.isFinite(header) && header >= 0 ? header : undefined;
  const decoded = decodeMessage(SyncError, body);
  if (decoded.ok) {
    const problem = decoded.value;
    return new SyncFailure({
      status: response.status,
      code: problem.code,
      detail: problem.detail ?? problem.title,
      retryAfterSeconds: problem.retryAfterSeconds ?? retryAfterHeader,
      wipe: problem.wipe,
    });
  }
  return new SyncFailure({
    status: response.status,
    code: 'http.unexpected',
    detail: response.statusText || `HTTP ${response.status}`,
    retryAfterSeconds: retryAfterHeader,
  });
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
