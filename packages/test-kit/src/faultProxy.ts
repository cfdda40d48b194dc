import { randomInt } from 'node:crypto';
import net from 'node:net';

/** What goes wrong on one connection through the proxy. */
export type Fault =
  /** Every chunk, both ways, arrives `ms` later than it was sent. */
  | { kind: 'latency'; ms: number }
  /** Both directions are paced to this many bits per second. */
  | { kind: 'bandwidth'; bitsPerSecond: number }
  /** After `afterBytes` of the response the connection is reset (RST), as when a cell drops. */
  | { kind: 'reset'; afterBytes: number }
  /** After `afterBytes` of the response the connection is closed cleanly: a short body. */
  | { kind: 'truncate'; afterBytes: number }
  /** The request bytes are replayed on a second connection once the server starts answering. */
  | { kind: 'duplicate' }
  /** Both directions are delivered in chunks of at most `maxChunk` bytes, one per tick. */
  | { kind: 'slice'; maxChunk: number }
  /** After `afterBytes` of the response nothing more arrives; the socket stays open until the client gives up. */
  | { kind: 'stall'; afterBytes: number };

export type FaultKind = Fault['kind'];

export const faultKinds: readonly FaultKind[] = [
  'latency',
  'bandwidth',
  'reset',
  'truncate',
  'duplicate',
  'slice',
  'stall',
];

/** A small deterministic generator (mulberry32): the same seed gives the same faults. */
export interface SeededRandom {
  readonly seed: number;
  /** In [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    seed,
    next,
    int,
    pick<T>(items: readonly T[]): T {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
  };
}

/**
 * The seed of a randomised test: `OUTPOST_TEST_SEED` when set (to replay a failure), otherwise a
 * fresh one. Print it on failure (vitest's `onTestFailed`) so the run can be replayed.
 */
export function testSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env['OUTPOST_TEST_SEED'];
  if (given !== undefined && given !== '') {
    const seed = Number(given);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new Error(`OUTPOST_TEST_SEED must be a whole number from 0 to 4294967295, got "${given}"`);
    }
    return seed;
  }
  return randomInt(0, 0x7fffffff);
}

/** A fault of the given kind with parameters drawn from `random`, sized for sync over loopback. */
export function randomFault(kind: FaultKind, random: SeededRandom): Fault {
  switch (kind) {
    case 'latency':
      return { kind, ms: random.int(20, 150) };
    case 'bandwidth':
      return { kind, bitsPerSecond: 20_000 };
    case 'reset':
      return { kind, afterBytes: random.int(0, 6_000) };
    case 'truncate':
      return { kind, afterBytes: random.int(0, 6_000) };
    case 'duplicate':
      return { kind };
    case 'slice':
      return { kind, maxChunk: random.int(1, 64) };
    case 'stall':
      return { kind, afterBytes: random.int(0, 3_000) };
  }
}

export interface FaultProxyStats {
  connections: number;
  /** Connections that got a fault, per kind. */
  faulted: Record<FaultKind, number>;
  /** Bytes delivered to the server from clients (replays not included). */
  bytesUp: number;
  /** Bytes delivered to clients. */
  bytesDown: number;
  /** Requests replayed by `duplicate` whose replay has finished. */
  replayed: number;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Changes how later connections are treated (connections already open keep their fault). */
  setFaults(faultFor: FaultChooser): void;
  stats(): FaultProxyStats;
  /** Resolves when every replayed request has been answered or failed. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** Decides the fault of each new connection (numbered from 1); null passes it through. */
export type FaultChooser = (connection: number) => Fault | null;

// A stalled socket the client never closes still ends: nothing in a test may hang forever.
const STALL_LIMIT_MS = 60_000;
const MAX_CAPTURE_BYTES = 32 * 1024 * 1024;
// Pause the sender while this much waits to be shaped, so a slow link does not buffer without end.
const HIGH_WATER_BYTES = 256 * 1024;

/**
 * A TCP proxy on 127.0.0.1 in front of `target`, injecting one fault per connection as
 * `faultFor` decides. Works below HTTP, so clients see what a bad mobile link does to them:
 * delays, slow bytes, resets and short bodies mid-response, stalls, and the same request twice.
 */
export async function startFaultProxy(options: { targetPort: number; faultFor?: FaultChooser }): Promise<FaultProxy> {
  let faultFor: FaultChooser = options.faultFor ?? (() => null);
  const stats: FaultProxyStats = {
    connections: 0,
    faulted: { latency: 0, bandwidth: 0, reset: 0, truncate: 0, duplicate: 0, slice: 0, stall: 0 },
    bytesUp: 0,
    bytesDown: 0,
    replayed: 0,
  };
  const sockets = new Set<net.Socket>();
  const replays = new Set<Promise<void>>();
  const track = (socket: net.Socket): net.Socket => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    return socket;
  };

  const replay = (bytes: Buffer): void => {
    const done = new Promise<void>((resolve) => {
      const again = track(net.connect({ host: '127.0.0.1', port: options.targetPort }));
      // The answer to the replay goes nowhere, as when the first copy's sender has moved on.
      again.on('data', () => {});
      again.once('close', () => {
        stats.replayed++;
        resolve();
      });
      again.setTimeout(STALL_LIMIT_MS, () => again.destroy());
      again.end(bytes);
    });
    replays.add(done);
    void done.finally(() => replays.delete(done));
  };

  const server = net.createServer((client) => {
    track(client);
    const number = ++stats.connections;
    const fault = faultFor(number);
    if (fault !== null) stats.faulted[fault.kind]++;
    const upstream = track(net.connect({ host: '127.0.0.1', port: options.targetPort }));
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => {
      // An answer that ended is still being shaped: the pump ends the client when it is through.
      // A stalled answer keeps the client waiting until it gives up by itself.
      if (!upstream.readableEnded && fault?.kind !== 'stall') client.destroy();
    });

    const captured: Buffer[] = [];
    let capturedBytes = 0;
    let replayed = false;
    pump(client, upstream, fault, 'up', (n) => (stats.bytesUp += n), {
      onChunk(chunk) {
        if (fault?.kind === 'duplicate' && capturedBytes + chunk.length <= MAX_CAPTURE_BYTES) {
          captured.push(chunk);
          capturedBytes += chunk.length;
        }
      },
    });
    let sent = 0;
    pump(upstream, client, fault, 'down', (n) => (stats.bytesDown += n), {
      onChunk() {
        // The server answering means it has read the whole request: replay it now, alongside.
        if (fault?.kind === 'duplicate' && !replayed) {
          replayed = true;
          replay(Buffer.concat(captured));
        }
      },
      cut(chunk) {
        if (fault === null || (fault.kind !== 'reset' && fault.kind !== 'truncate' && fault.kind !== 'stall')) {
          return { pass: chunk, stop: false };
        }
        const room = Math.max(0, fault.afterBytes - sent);
        const pass = chunk.subarray(0, room);
        sent += pass.length;
        return { pass, stop: pass.length < chunk.length };
      },
      stop() {
        if (fault?.kind === 'reset') {
          upstream.destroy();
          client.resetAndDestroy();
        } else if (fault?.kind === 'truncate') {
          upstream.destroy();
          client.end();
        } else if (fault?.kind === 'stall') {
          upstream.destroy();
          client.setTimeout(STALL_LIMIT_MS, closeBoth);
        }
      },
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fault proxy has no port');

  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    setFaults(next) {
      faultFor = next;
    },
    stats: () => ({ ...stats, faulted: { ...stats.faulted } }),
    async settled() {
      await Promise.all([...replays]);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface PumpHooks {
  onChunk?(chunk: Buffer): void;
  /** How much of the chunk may pass; `stop` ends the stream after it. */
  cut?(chunk: Buffer): { pass: Buffer; stop: boolean };
  stop?(): void;
}

/** Copies `from` to `to` through the connection's fault, one chunk at a time, in order. */
function pump(
  from: net.Socket,
  to: net.Socket,
  fault: Fault | null,
  direction: 'up' | 'down',
  count: (bytes: number) => void,
  hooks: PumpHooks,
): void {
  const queue: Array<{ chunk: Buffer; at: number }> = [];
  let queued = 0;
  let ended = false;
  let running = false;
  let stopped = false;

  const deliver = async (piece: Buffer): Promise<void> => {
    if (fault?.kind === 'bandwidth') await sleep((piece.length * 8 * 1000) / fault.bitsPerSecond);
    else if (fault?.kind === 'slice') await new Promise((resolve) => setImmediate(resolve));
    if (to.destroyed || stopped) return;
    count(piece.length);
    to.write(piece);
  };

  const run = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      for (let item = queue.shift(); item !== undefined && !stopped; item = queue.shift()) {
        queued -= item.chunk.length;
        if (queued < HIGH_WATER_BYTES && from.isPaused()) from.resume();
        if (fault?.kind === 'latency') await sleep(item.at + fault.ms - Date.now());
        let chunk = item.chunk;
        let stopAfter = false;
        if (direction === 'down' && hooks.cut) {
          const cut = hooks.cut(chunk);
          chunk = cut.pass;
          stopAfter = cut.stop;
        }
        // Pieces small enough that pacing and slicing are felt within one chunk.
        const size = fault?.kind === 'slice' ? fault.maxChunk : fault?.kind === 'bandwidth' ? 256 : chunk.length;
        for (let offset = 0; offset < chunk.length && !stopped; offset += Math.max(1, size)) {
          await deliver(chunk.subarray(offset, offset + Math.max(1, size)));
        }
        if (stopAfter) {
          stopped = true;
          hooks.stop?.();
          return;
        }
      }
      if (ended && queue.length === 0 && !stopped && !to.destroyed) to.end();
    } finally {
      running = false;
    }
    // A chunk that arrived while the last one was being delivered.
    if (queue.length > 0 && !stopped) void run();
  };

  from.on('data', (chunk: Buffer) => {
    if (stopped) return;
    hooks.onChunk?.(chunk);
    queue.push({ chunk, at: Date.now() });
    queued += chunk.length;
    if (queued >= HIGH_WATER_BYTES) from.pause();
    void run();
  });
  from.once('end', () => {
    ended = true;
    void run();
  });
}

function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
