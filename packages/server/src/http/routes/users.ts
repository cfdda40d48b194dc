import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError, roles } from '@outpost/core';
import { addUser, listUsers, setUserDisabled, setUserPassword } from '../../auth/users.js';
import { requireCapability } from '../authenticate.js';
import { resetTotp } from '../../auth/twoFactor.js';

const NewUserBody = Type.Object(
  {
    username: Type.String({ maxLength: 64 }),
    displayName: Type.String({ maxLength: 200 }),
    role: Type.Union(roles.map((r) => Type.Literal(r))),
    password: Type.String({ maxLength: 256 }),
  },
  { additionalProperties: false },
);
const UsernameParams = Type.Object({ username: Type.String({ maxLength: 64 }) });
const PasswordBody = Type.Object({ password: Type.String({ maxLength: 256 }) }, { additionalProperties: false });

export async function userRoutes(app: FastifyInstance): Promise<void> {
  app.get('/users', async (request, reply) => {
    await requireCapability(request, reply, 'users.manage');
    return { items: await listUsers(app.deps.store) };
  });

  app.post<{ Body: Static<typeof NewUserBody> }>(
    '/users',
    { schema: { body: NewUserBody } },
    async (request, reply) => {
      const actor = await requireCapability(request, reply, 'users.manage');
      const result = await addUser(request.body, actor.userId, app.deps.clock, app.deps.store, {
        allowDemoPassword: app.deps.settings.demo,
      });
      if (!result.ok)
        throw new ProblemError(result.code, result.detail, result.field === undefined ? {} : { field: result.field });
      return reply.code(201).send(result.user);
    },
  );

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post<{ Params: Static<typeof UsernameParams> }>(
      `/users/:username/${action}`,
      { schema: { params: UsernameParams } },
      async (request, reply) => {
        const actor = await requireCapability(request, reply, 'users.manage');
        const result = await setUserDisabled(
          request.params.username,
          disabled,
          actor.userId,
          app.deps.clock,
          app.deps.store,
        );
        if (!result.ok) throw new ProblemError(result.code, result.detail);
        return result.user;
      },
    );
  }

  app.post<{ Params: Static<typeof UsernameParams> }>(
    '/users/:username/totp/reset',
    { schema: { params: UsernameParams } },
    async (request, reply) => {
      const actor = await requireCapability(request, reply, 'users.manage');
      const result = await resetTotp(request.params.username, actor.userId, app.deps.clock, app.deps.store);
      if (!result.ok) throw new ProblemError(result.code, 'No such user.');
      return reply.code(204).send();
    },
  );

  app.post<{ Params: Static<typeof UsernameParams>; Body: Static<typeof PasswordBody> }>(
    '/users/:username/password',
    { schema: { params: UsernameParams, body: PasswordBody } },
    async (request, reply) => {
      const actor = await requireCapability(request, reply, 'users.manage');
      const result = await setUserPassword(
        request.params.username,
        request.body.password,
        actor.userId,
        app.deps.clock,
        app.deps.store,
        { allowDemoPassword: app.deps.settings.demo },
      );
      if (!result.ok)
        throw new ProblemError(result.code, result.detail, result.field === undefined ? {} : { field: result.field });
      return result.user;
    },
  );
}
