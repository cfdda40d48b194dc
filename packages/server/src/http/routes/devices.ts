import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError, roleHas } from '@outpost/core';
import { renameDevice, revokeDevice } from '../../auth/sessions.js';
import { appendAuditEvent } from '../../storage/queries/audit.js';
import { findDeviceOwner, listDevices } from '../../storage/queries/sessions.js';
import { requireActor } from '../authenticate.js';

const DeviceParams = Type.Object({ deviceId: Type.String({ format: 'uuid' }) });
const DeviceName = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }) },
  { additionalProperties: false },
);

export async function deviceRoutes(app: FastifyInstance): Promise<void> {
  // A user sees their own devices; an administrator sees every device.
  app.get('/devices', async (request, reply) => {
    const actor = await requireActor(request, reply);
    const rows = await listDevices(roleHas(actor.role, 'users.manage') ? null : actor.userId, app.deps.store);
    return {
      items: rows.map((r) => ({
        id: r.id,
        name: r.name,
        username: r.username,
        createdAt: r.created_at,
        lastSeenAt: r.last_seen_at,
        revokedAt: r.revoked_at,
      })),
    };
  });

  app.post<{ Params: Static<typeof DeviceParams> }>(
    '/devices/:deviceId/revoke',
    { schema: { params: DeviceParams } },
    async (request, reply) => {
      const actor = await requireActor(request, reply);
      const { store, clock } = app.deps;
      const device = await findDeviceOwner(request.params.deviceId, store);
      // Someone else's device is reported as absent, not forbidden: ids are not to be probed.
      if (!device || (device.user_id !== actor.userId && !roleHas(actor.role, 'users.manage'))) {
        throw new ProblemError('request.not-found', 'No such device.');
      }
      await revokeDevice(device.id, clock, store);
      await appendAuditEvent(
        { actorId: actor.userId, action: 'device.revoked', subject: `device:${device.id}`, details: {} },
        store,
      );
      return reply.code(204).send();
    },
  );

  // Tablets register as "Chrome on Linux — <day>"; their user or an administrator names them.
  app.post<{ Params: Static<typeof DeviceParams>; Body: Static<typeof DeviceName> }>(
    '/devices/:deviceId/name',
    { schema: { params: DeviceParams, body: DeviceName } },
    async (request, reply) => {
      const actor = await requireActor(request, reply);
      const { store } = app.deps;
      const device = await findDeviceOwner(request.params.deviceId, store);
      if (!device || (device.user_id !== actor.userId && !roleHas(actor.role, 'users.manage'))) {
        throw new ProblemError('request.not-found', 'No such device.');
      }
      await store.transaction(async (tx) => {
        await renameDevice(device.id, request.body.name.trim(), tx);
        await appendAuditEvent(
          { actorId: actor.userId, action: 'device.renamed', subject: `device:${device.id}`, details: {} },
          tx,
        );
      });
      return reply.code(204).send();
    },
  );
}
