import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { ProblemError } from '@outpost/core';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes `Content-Encoding: gzip` bodies (devices on slow links); others refuse it. */
    gzipBody?: boolean;
  }
}

/** A stream Fastify reads as the body; it compares the encoded length with Content-Length. */
type BodyStream = Transform & { receivedEncodedLength?: number };

/**
 * The one place a request body's Content-Encoding is handled (a preParsing hook for every route).
 * Identity bodies pass through; gzip is inflated only where the route allows it, and everything
 * else is refused with 415 before a byte is read.
 */
export async function decodeContentEncoding(request: FastifyRequest, payload: Readable): Promise<Readable> {
  const encoding = (request.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return payload;
  if (encoding !== 'gzip' || request.routeOptions.config.gzipBody !== true) {
    throw new ProblemError(
      'request.unsupported-media-type',
      request.routeOptions.config.gzipBody === true
        ? 'Send the body as gzip or uncompressed.'
        : 'This endpoint takes uncompressed bodies only.',
    );
  }
  return inflateLimited(payload, request.routeOptions.bodyLimit);
}

/**
 * Inflates a gzip body, stopping at `limit` inflated bytes (a gzip bomb is cut there, not after
 * it has been inflated). A corrupt or truncated stream ends the body with request.malformed-encoding;
 * either way the inflater is destroyed and the rest of the upload is left unread.
 */
export function inflateLimited(payload: Readable, limit: number): Readable {
  const gunzip = createGunzip();
  let inflated = 0;
  let failed = false;
  const body: BodyStream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      inflated += chunk.length;
      if (inflated > limit) {
        done(new ProblemError('request.too-large', `The body inflates past the limit of ${limit} bytes.`));
        return;
      }
      done(null, chunk);
    },
  });
  body.receivedEncodedLength = 0;
  const stop = (err: Error): void => {
    if (failed) return;
    failed = true;
    payload.unpipe(gunzip);
    gunzip.unpipe(body);
    gunzip.destroy();
    body.destroy(
      err instanceof ProblemError
        ? err
        : new ProblemError('request.malformed-encoding', `The gzip body cannot be read: ${err.message}.`),
    );
  };
  payload.on('data', (chunk: Buffer) => {
    body.receivedEncodedLength = (body.receivedEncodedLength ?? 0) + chunk.length;
  });
  payload.on('error', stop);
  gunzip.on('error', stop);
  body.on('error', (err) => {
    // Raised by transform (over the limit): stop inflating at once.
    if (!failed) stop(err);
  });
  payload.pipe(gunzip).pipe(body);
  return body;
}
