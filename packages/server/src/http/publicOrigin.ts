import type { FastifyRequest } from 'fastify';

/**
 * Where the client reached this server, for the absolute links the server writes (OpenRosa's
 * downloadUrl, manifestUrl and integrityUrl, the Collect QR code's server URL): `--public-url`
 * when set, else the request's scheme and host. Behind a TLS reverse proxy with `--trust-proxy`,
 * Fastify takes those from X-Forwarded-Proto and X-Forwarded-Host; without it a client's
 * forwarded headers are ignored.
 */
export function publicOrigin(request: FastifyRequest): string {
  const configured = request.server.deps.settings.publicUrl;
  if (configured !== null) return configured;
  return `${request.protocol}://${request.host || 'localhost'}`;
}
