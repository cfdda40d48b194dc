import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TSchema, Static } from '@sinclair/typebox';
import { DigestCheck, PROTOCOL_VERSION, ProblemError, PullRequest, decodeMessage } from '@outpost/core';
import type { Actor } from '../../auth/sessions.js';
import { checkDigest } from '../../sync/checkDigest.js';
import { decodePush, pushBatch } from '../../sync/pushBatch.js';
import { pullPage } from '../../sync/pullPage.js';
import { requireSyncActor } from '../../sync/requireSyncActor.js';
import { loadSyncReach } from '../../sync/syncReach.js';
import { SyncPlanRequest, syncPlan } from '../../sync/syncPlan.js';

/**
 * Decompressed bytes one sync request may carry (S16). A full push of 500 typical submissions
 * fits many times over; a gzip bomb is cut here, before anything is parsed.
 */
export const syncBodyLimitBytes = 16 * 1024 * 1024;

/** Pages at least this large go out gzipped when the device accepts it. */
const compressFromBytes = 1024;

export async function syncRoutes(app: FastifyInstance): Promise<void> {
  // Devices on slow links send gzip bodies (inflated by http/bodyEncoding.ts, where the route's
  // bodyLimit counts inflated bytes); credentials are checked before that, with a wipe directive
  // for a revoked device or disabled account.
  const config = { gzipBody: true, identify: requireSyncActor };

  app.post('/sync/push', { bodyLimit: syncBodyLimitBytes, config }, async (request, reply) => {
    const actor = await requireSyncActor(request, reply);
    const decoded = decodePush(request.body);
    if (!decoded.ok) {
      throw new ProblemError(decoded.code, decoded.detail, decoded.field === undefined ? {} : { field: decoded.field });
    }
    const deviceKey = deviceKeyOf(actor, decoded.push.deviceId);
    const { store, clock } = app.deps;
    const reach = await loadSyncReach(actor, store);
    const result = await pushBatch(
      decoded.push,
      { userId: actor.userId, deviceId: actor.deviceId, deviceKey, reach, now: () => clock.now() },
      store,
    );
    // An operator (and a failing test) can see what was refused and why without the device: one
    // line per push, however many items it refused.
    const refused = result.results.flatMap((item) =>
      item.outcome === 'rejected'
        ? [{ seq: item.seq, instanceId: item.instanceId, code: item.code, field: item.field }]
        : [],
    );
    if (refused.length > 0) {
      request.log.warn(
        { deviceId: actor.deviceId, refused: refused.slice(0, 20), count: refused.length },
        'push items refused',
      );
    }
    return send(request, reply, result);
  });

  app.post('/sync/pull', { bodyLimit: 1024 * 1024, config }, async (request, reply) => {
    const actor = await requireSyncActor(request, reply);
    const pull = decodeSync(PullRequest, request.body);
    deviceKeyOf(actor, pull.deviceId);
    const { store } = app.deps;
    const reach = await loadSyncReach(actor, store);
    return send(request, reply, await pullPage(pull, reach, store));
  });

  // Before the initial sync: how many records would come, and whether that is more than a device should hold (R13).
  app.post('/sync/plan', { bodyLimit: 64 * 1024, config }, async (request, reply) => {
    const actor = await requireSyncActor(request, reply);
    deviceKeyOf(actor, decodeSync(SyncPlanRequest, request.body).deviceId);
    return send(request, reply, await syncPlan(await loadSyncReach(actor, app.deps.store), app.deps.store));
  });

  app.post('/sync/digest', { bodyLimit: 1024 * 1024, config }, async (request, reply) => {
    const actor = await requireSyncActor(request, reply);
    const check = decodeSync(DigestCheck, request.body);
    deviceKeyOf(actor, check.deviceId);
    const { store } = app.deps;
    const reach = await loadSyncReach(actor, store);
    return send(request, reply, await checkDigest(check.scopes, reach, store));
  });
}

function decodeSync<S extends TSchema>(schema: S, body: unknown): Static<S> {
  const decoded = decodeMessage(schema, body);
  if (!decoded.ok) throw new ProblemError('request.invalid', decoded.message, { field: decoded.path });
  const value = decoded.value as Static<S> & { protocol: number };
  if (value.protocol !== PROTOCOL_VERSION) {
    throw new ProblemError(
      'sync.protocol-unsupported',
      `This server speaks sync protocol ${PROTOCOL_VERSION}; the app sent ${value.protocol}.`,
    );
  }
  return value;
}

/**
 * A device token syncs only as itself. A browser session without a device token keeps its
 * acknowledgements per user and the device id it sends.
 */
function deviceKeyOf(actor: Actor, deviceId: string): string {
  if (actor.deviceId !== null) {
    if (deviceId !== actor.deviceId) throw new ProblemError('sync.device-mismatch');
    return actor.deviceId;
  }
  return `session:${actor.userId}:${deviceId}`;
}

function send(request: FastifyRequest, reply: FastifyReply, body: unknown): FastifyReply {
  const json = JSON.stringify(body);
  reply.type('application/json; charset=utf-8');
  const accepts = /\bgzip\b/i.test(String(request.headers['accept-encoding'] ?? ''));
  if (accepts && json.length >= compressFromBytes) {
    return reply.header('content-encoding', 'gzip').header('vary', 'accept-encoding').send(gzipSync(json));
  }
  return reply.send(json);
}
