import http from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { PullPage, PushResult } from '@outpost/core';
import { PROTOCOL_VERSION, isRetryable, pulledRecords } from '@outpost/core';
import type { SeededRandom } from '@outpost/test-kit';
import type { OutboxItem } from './fieldProject.test-support.js';

// A minimal device that speaks the sync protocol over real sockets: an outbox pushed in batches
// and acknowledged up to `ackedThrough`, and a replica pulled page by page from stored cursors.
// The PWA's engine lives in packages/web; this one exists so the server can be tested through a
// faulty network without it.

export interface SyncCounters {
  pushRequests: number;
  pushFailures: number;
  /** Items in every push request sent, the retries included. */
  itemsSent: number;
  pullRequests: number;
  pullFailures: number;
  /** Pages applied (answers received whole and parsed). */
  pagesApplied: number;
  /** Records in every applied page: more than the replica holds means a record came twice. */
  recordsApplied: number;
  /** Bytes read from the socket by requests that failed. */
  wastedBytesDown: number;
  /** Largest whole answer to a pull, in bytes read from the socket. */
  largestPageBytes: number;
  /** Why each failed request failed, for the failure message of a test. */
  errors: string[];
}

export interface SyncClient {
  readonly deviceId: string;
  readonly counters: SyncCounters;
  /** id -> version of every record held. */
  readonly replica: Map<string, number>;
  cursors: Record<string, number>;
  /** Items still waiting for an acknowledgement. */
  readonly outbox: OutboxItem[];
  /** Items the server refused, with the code it gave. */
  readonly rejected: Array<{ instanceId: string; code: string }>;
  /** Pushes until the outbox is empty; retries failed requests with backoff. */
  pushAll(batchSize: number): Promise<void>;
  /** Pulls until the server says there is no more. */
  pullAll(maxBytes: number): Promise<void>;
}

export class TransportError extends Error {
  constructor(
    message: string,
    readonly bytesRead: number,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** At most this many failures in a row before the client gives up: every loop ends. */
const MAX_CONSECUTIVE_FAILURES = 25;

export function createSyncClient(options: {
  baseUrl: string;
  token: string;
  deviceId: string;
  projectId: string;
  outbox: readonly OutboxItem[];
  /** Socket idle time after which the client gives up on a request (a stalled answer). */
  idleTimeoutMs: number;
  random: SeededRandom;
}): SyncClient {
  const counters: SyncCounters = {
    pushRequests: 0,
    pushFailures: 0,
    itemsSent: 0,
    pullRequests: 0,
    pullFailures: 0,
    pagesApplied: 0,
    recordsApplied: 0,
    wastedBytesDown: 0,
    largestPageBytes: 0,
    errors: [],
  };
  const outbox = [...options.outbox];
  const rejected: Array<{ instanceId: string; code: string }> = [];
  const client: SyncClient = {
    deviceId: options.deviceId,
    counters,
    replica: new Map(),
    cursors: {},
    outbox,
    rejected,
    async pushAll(batchSize) {
      let failures = 0;
      // Each round either shortens the outbox or counts a failure; both are bounded.
      for (let round = 0; outbox.length > 0; round++) {
        if (round > options.outbox.length + MAX_CONSECUTIVE_FAILURES * 10) throw new Error('push never finished');
        const batch = outbox.slice(0, batchSize);
        counters.pushRequests++;
        counters.itemsSent += batch.length;
        let result: PushResult;
        try {
          result = (await post(options, '/api/v1/sync/push', pushBody(options, batch))).body as PushResult;
        } catch (err) {
          counters.pushFailures++;
          counters.errors.push(String(err));
          if (err instanceof TransportError) counters.wastedBytesDown += err.bytesRead;
          if (!retryable(err) || ++failures > MAX_CONSECUTIVE_FAILURES) throw err;
          await backoff(failures, options.random);
          continue;
        }
        failures = 0;
        for (const r of result.results) {
          if (r.outcome === 'rejected') rejected.push({ instanceId: r.instanceId, code: r.code });
        }
        // What is acknowledged leaves the outbox; the rest goes again in the next batch.
        const kept = outbox.filter((item) => item.seq > result.ackedThrough);
        if (kept.length === outbox.length)
          throw new Error(`the server acknowledged nothing: ${JSON.stringify(result)}`);
        outbox.splice(0, outbox.length, ...kept);
      }
    },
    async pullAll(maxBytes) {
      let failures = 0;
      for (let round = 0; ; round++) {
        if (round > 10_000) throw new Error('pull never finished');
        counters.pullRequests++;
        let answer: { body: unknown; bytesRead: number };
        try {
          answer = await post(options, '/api/v1/sync/pull', {
            protocol: PROTOCOL_VERSION,
            deviceId: options.deviceId,
            cursors: client.cursors,
            maxBytes,
          });
        } catch (err) {
          counters.pullFailures++;
          counters.errors.push(String(err));
          if (err instanceof TransportError) counters.wastedBytesDown += err.bytesRead;
          if (!retryable(err) || ++failures > MAX_CONSECUTIVE_FAILURES) throw err;
          await backoff(failures, options.random);
          continue;
        }
        failures = 0;
        const page = answer.body as PullPage;
        // Records, evictions and cursors together, as the device's one local transaction does.
        const records = pulledRecords(page);
        for (const [id, , , version] of records) client.replica.set(id, version);
        for (const e of page.evictions) client.replica.delete(e.id);
        client.cursors = { ...page.cursors };
        counters.pagesApplied++;
        counters.recordsApplied += records.length;
        counters.largestPageBytes = Math.max(counters.largestPageBytes, answer.bytesRead);
        if (!page.hasMore) return;
      }
    },
  };
  return client;
}

function pushBody(options: { deviceId: string; projectId: string }, batch: readonly OutboxItem[]) {
  return {
    protocol: PROTOCOL_VERSION,
    deviceId: options.deviceId,
    fromSeq: batch[0]?.seq ?? 1,
    throughSeq: batch[batch.length - 1]?.seq ?? 1,
    items: batch.map((i) => ({
      seq: i.seq,
      instanceId: i.instanceId,
      projectId: options.projectId,
      formId: i.formId,
      formVersion: i.formVersion,
      xml: i.xml,
      createdAt: '2026-03-01T09:20:00.000+08:00',
      attachments: [],
    })),
  };
}

/** Network faults and 408/429/5xx are retried; any other answer is a bug to report. */
function retryable(err: unknown): boolean {
  if (!(err instanceof TransportError)) return false;
  return err.status === undefined || isRetryable({ status: err.status });
}

// Short waits: the faults are on loopback and the test must stay quick; the shape (exponential,
// full jitter) is the protocol's.
function backoff(attempt: number, random: SeededRandom): Promise<void> {
  const ms = Math.min(400, 10 * 2 ** attempt) * (0.5 + random.next() / 2);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * One POST on a fresh connection, gzip both ways. Anything short of a whole 2xx answer that
 * parses is a TransportError carrying the bytes the socket read.
 */
export function post(
  options: { baseUrl: string; token: string; idleTimeoutMs: number },
  path: string,
  payload: unknown,
): Promise<{ body: unknown; bytesRead: number }> {
  const body = gzipSync(JSON.stringify(payload));
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(path, options.baseUrl),
      {
        method: 'POST',
        agent: false,
        headers: {
          authorization: `Bearer ${options.token}`,
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'accept-encoding': 'gzip',
          'content-length': body.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (err) => reject(new TransportError(err.message, req.socket?.bytesRead ?? 0)));
        res.on('end', () => {
          const bytesRead = req.socket?.bytesRead ?? 0;
          if (!res.complete) return reject(new TransportError('answer cut short', bytesRead));
          try {
            const raw = Buffer.concat(chunks);
            const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status > 299) {
              return reject(new TransportError(`HTTP ${status}: ${text.slice(0, 500)}`, bytesRead, status));
            }
            resolve({ body: JSON.parse(text) as unknown, bytesRead });
          } catch (err) {
            reject(new TransportError(`unreadable answer: ${String(err)}`, bytesRead));
          }
        });
      },
    );
    req.setTimeout(options.idleTimeoutMs, () => req.destroy(new Error('timed out')));
    req.on('error', (err) => reject(new TransportError(err.message, req.socket?.bytesRead ?? 0)));
    req.end(body);
  });
}
