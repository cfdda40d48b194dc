// A TCP proxy on loopback that behaves like a slow mobile link: one token bucket per direction,
// shared by every connection through the proxy (a tablet's connections share its radio), and a
// fixed one-way delay added to every segment. A new connection pays one round trip before its
// first byte moves, as a TCP handshake would.
import { connect, createServer } from 'node:net';

/** The 3G profile of docs/benchmarks.md and quality target P2. */
export const threeG = { downKbps: 750, upKbps: 250, latencyMs: 100 };

const segmentBytes = 1460;
// Bytes a direction may send at once after a quiet spell; small, so short bursts stay honest.
const burstBytes = 4 * segmentBytes;
// Above this much queued in one direction the sender is paused, as TCP's window would.
const highWaterBytes = 256 * 1024;

/**
 * @param {{ targetPort: number, downKbps: number, upKbps: number, latencyMs: number }} options
 */
export async function startShapingProxy({ targetPort, downKbps, upKbps, latencyMs }) {
  const up = createLink(upKbps, latencyMs);
  const down = createLink(downKbps, latencyMs);
  const sockets = new Set();

  const server = createServer((client) => {
    client.pause();
    const origin = connect({ host: '127.0.0.1', port: targetPort });
    for (const socket of [client, origin]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        origin.destroy();
      });
    }
    const wire = (from, to, link) => {
      from.on('data', (chunk) => link.send(chunk, to, from));
      from.on('end', () => link.finish(to));
    };
    origin.once('connect', () => {
      setTimeout(() => {
        wire(client, origin, up);
        wire(origin, client, down);
        client.resume();
      }, 2 * latencyMs);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      up.stop();
      down.stop();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * One direction of the link: segments leave in arrival order when the bucket holds enough
 * tokens, then arrive `latencyMs` later. Because the delay is the same for every segment, the
 * order within a connection is kept.
 */
function createLink(kbps, latencyMs) {
  const bytesPerMs = (kbps * 1000) / 8 / 1000;
  const queue = [];
  const paused = new Set();
  let queued = 0;
  let tokens = burstBytes;
  let refilledAt = performance.now();
  let timer = null;
  let stopped = false;

  const refill = () => {
    const now = performance.now();
    tokens = Math.min(burstBytes, tokens + (now - refilledAt) * bytesPerMs);
    refilledAt = now;
  };

  const pump = () => {
    timer = null;
    if (stopped) return;
    refill();
    while (queue.length > 0) {
      const head = queue[0];
      if (head.end) {
        queue.shift();
        setTimeout(() => head.to.end(), latencyMs);
        continue;
      }
      if (tokens < head.chunk.length) break;
      queue.shift();
      tokens -= head.chunk.length;
      queued -= head.chunk.length;
      setTimeout(() => {
        if (!head.to.destroyed) head.to.write(head.chunk);
      }, latencyMs);
    }
    if (queued < highWaterBytes / 2) {
      for (const source of paused) if (!source.destroyed) source.resume();
      paused.clear();
    }
    const head = queue[0];
    if (head !== undefined) {
      const wait = Math.max(1, Math.ceil((head.chunk.length - tokens) / bytesPerMs));
      timer = setTimeout(pump, wait);
    }
  };

  const kick = () => {
    if (timer === null) pump();
  };

  return {
    send(chunk, to, from) {
      for (let offset = 0; offset < chunk.length; offset += segmentBytes) {
        const slice = chunk.subarray(offset, offset + segmentBytes);
        queue.push({ chunk: slice, to, from });
        queued += slice.length;
      }
      if (queued > highWaterBytes) {
        from.pause();
        paused.add(from);
      }
      kick();
    },
    finish(to) {
      queue.push({ end: true, to });
      kick();
    },
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
    },
  };
}
