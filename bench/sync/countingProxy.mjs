// An HTTP pass-through in front of one peer's server that also serves the benchmark page, so the
// page and the sync API share one origin (no CORS preflights that only the benchmark would pay).
// Only requests the peer's server answers are counted. Bytes are read off the sockets between the
// browser and this proxy, so they are exactly what crossed the wire: request and response lines,
// headers, chunk framing and bodies, compressed as sent.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Agent, createServer, request as httpRequest } from 'node:http';
import { extname, join, normalize } from 'node:path';

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/**
 * @param {{ target: string, forward: (path: string) => boolean, pageDir: string }} options
 *   target: the peer's base URL; forward: which paths go to it (the rest are page files).
 */
export async function startCountingProxy({ target, forward, pageDir }) {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  let counts = emptyCounts();
  /** Per browser-side socket, how far its byte counters were already attributed to a request. */
  const marks = new WeakMap();

  const server = createServer((req, res) => {
    const socket = req.socket;
    const counted = forward(new URL(req.url ?? '/', 'http://x').pathname);
    if (counted) counts.requests += 1;
    // Browsers do not pipeline, so a socket's bytes between two request ends belong to one request.
    req.on('end', () => {
      const mark = marks.get(socket) ?? { read: 0, written: 0 };
      if (counted) counts.requestBytes += socket.bytesRead - mark.read;
      mark.read = socket.bytesRead;
      marks.set(socket, mark);
    });
    res.on('finish', () => {
      const mark = marks.get(socket) ?? { read: 0, written: 0 };
      if (counted) counts.responseBytes += socket.bytesWritten - mark.written;
      mark.written = socket.bytesWritten;
      marks.set(socket, mark);
    });
    if (counted) passThrough(req, res, upstream, agent);
    else servePageFile(req, res, pageDir);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    /** What was counted since the last reset. */
    counts: () => ({ ...counts, bytes: counts.requestBytes + counts.responseBytes }),
    reset() {
      counts = emptyCounts();
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

function emptyCounts() {
  return { requests: 0, requestBytes: 0, responseBytes: 0 };
}

function passThrough(req, res, upstream, agent) {
  const outgoing = httpRequest(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent,
    },
    (answer) => {
      // The raw header list keeps names, order and values byte for byte (gzip stays gzip).
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
      answer.pipe(res);
    },
  );
  outgoing.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`proxy: ${error.message}`);
  });
  req.pipe(outgoing);
}

function servePageFile(req, res, pageDir) {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
  const file = join(pageDir, path === '/' ? 'index.html' : path);
  req.resume();
  if (!file.startsWith(pageDir)) {
    res.writeHead(403).end();
    return;
  }
  stat(file).then(
    (info) => {
      res.writeHead(200, {
        'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
        'content-length': info.size,
      });
      createReadStream(file).pipe(res);
    },
    () => res.writeHead(404).end(),
  );
}
