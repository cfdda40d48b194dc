import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError } from '@outpost/core';
import { login } from '../../auth/login.js';
import { revokeSession } from '../../auth/sessions.js';
import { beginTotpEnrolment, confirmTotpEnrolment } from '../../auth/twoFactor.js';
import { appendAuditEvent } from '../../storage/queries/audit.js';
import { requireActor, sessionCookie } from '../authenticate.js';

const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    totp: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
    device: Type.Optional(
      Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

const TotpBody = Type.Object({ code: Type.String({ maxLength: 10 }) }, { additionalProperties: false });

/** The largest body a caller without credentials may send (a login is well under 1 KB). */
export const anonymousBodyLimitBytes = 4 * 1024;

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const { settings } = app.deps;

  app.post<{ Body: Static<typeof LoginBody> }>(
    '/auth/login',
    {
      schema: { body: LoginBody },
      // The one write anyone may send: a small body, read before any credentials exist.
      bodyLimit: anonymousBodyLimitBytes,
      config: { public: true, rateLimit: { max: settings.loginRateLimitPerMinute, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const { store, clock } = app.deps;
      const outcome = await login(
        {
          username: request.body.username,
          password: request.body.password,
          totp: request.body.totp ?? null,
          deviceName: request.body.device?.name ?? null,
          demo: settings.demo,
        },
        {
          session: { idleMinutes: settings.sessionIdleMinutes, maxHours: settings.sessionMaxHours },
          lockout: { maxFailures: settings.loginMaxFailures, lockMinutes: settings.loginLockMinutes },
        },
        clock,
        store,
        app.deps.secrets,
      );
      if (!outcome.ok) throw new ProblemError(outcome.code);
      reply.setCookie(sessionCookie, outcome.session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: settings.secureCookies,
        expires: outcome.session.expiresAt,
      });
      return {
        user: outcome.user,
        csrfToken: outcome.session.csrfToken,
        twoFactorEnrolmentRequired: outcome.twoFactorEnrolmentRequired,
        ...(outcome.device ? { device: { id: outcome.device.id, token: outcome.device.token } } : {}),
      };
    },
  );

  app.post('/auth/logout', async (request, reply) => {
    const actor = await requireActor(request, reply, { allowTwoFactorPending: true });
    if (actor.sessionId !== null) await revokeSession(actor.sessionId, app.deps.clock, app.deps.store);
    await appendAuditEvent(
      { actorId: actor.userId, action: 'auth.logout', subject: `user:${actor.userId}`, details: {} },
      app.deps.store,
    );
    reply.clearCookie(sessionCookie, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/me', async (request, reply) => {
    const actor = await requireActor(request, reply, { allowTwoFactorPending: true });
    return {
      user: { id: actor.userId, username: actor.username, displayName: actor.displayName, role: actor.role },
      csrfToken: actor.csrfToken,
      deviceId: actor.deviceId,
      twoFactorEnrolmentRequired: actor.twoFactorPending,
    };
  });

  app.post('/auth/totp/enrol', async (request, reply) => {
    const actor = await requireActor(request, reply, { allowTwoFactorPending: true });
    const result = await beginTotpEnrolment(actor.userId, app.deps.store, app.deps.secrets);
    if (!result.ok) throw new ProblemError(result.code);
    return { secret: result.secret, uri: result.uri };
  });

  app.post<{ Body: Static<typeof TotpBody> }>(
    '/auth/totp/confirm',
    { schema: { body: TotpBody } },
    async (request, reply) => {
      const actor = await requireActor(request, reply, { allowTwoFactorPending: true });
      const result = await confirmTotpEnrolment(
        { userId: actor.userId, sessionId: actor.sessionId, code: request.body.code },
        app.deps.clock,
        app.deps.store,
        app.deps.secrets,
      );
      if (!result.ok) throw new ProblemError(result.code);
      return reply.code(204).send();
    },
  );
}
