import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError } from '@outpost/core';
import { projectOfList } from '../../storage/queries/entities.js';
import { loadSyncReach } from '../../sync/syncReach.js';
import { requireSyncActor } from '../../sync/requireSyncActor.js';

/** Open change streams this process serves at most, and per user (several tabs, one tablet). */
export const changeStreamLimits = { total: 2_000, perUser: 4 };
/**
 * A stream ends after `?wait=` seconds (at most and by default ten minutes); the client
 * reconnects, and reach and credentials are read again. A short wait suits a proxy that cuts idle
 * connections; `wait=0` answers at once (a check that the stream is offered).
 */
const ChangeQuery = Type.Object(
  { wait: Type.Optional(Type.Integer({ minimum: 0, maximum: 600 })) },
  { additionalProperties: false },
);
const heartbeatMs = 25_000;
/** Several notices within this long make one event: a batch of 500 cases is one pull. */
const coalesceMs = 300;

/**
 * `GET /api/v1/sync/changes`: a Server-Sent Events stream that says "pull now" when a case in a
 * project the caller reaches changed, written through any server process (PostgreSQL
 * LISTEN/NOTIFY). It carries no case data: the device pulls as always, through the policy. The
 * event names the project only; a case outside the caller's reach in a project they belong to
 * still wakes them, and the pull then brings nothing.
 */
export async function syncChangeRoutes(app: FastifyInstance): Promise<void> {
  const open = new Map<string, number>();
  let total = 0;
  const listProjects = new Map<string, string>();
  const streams = new Set<ServerResponse>();
  // Open streams would hold a closing server's connections: end them first.
  app.addHook('onClose', async () => {
    for (const res of streams) res.end();
  });

  app.get<{ Querystring: Static<typeof ChangeQuery> }>(
    '/sync/changes',
    { schema: { querystring: ChangeQuery }, config: { identify: requireSyncActor } },
    async (request, reply) => {
      const actor = await requireSyncActor(request, reply);
      const mine = open.get(actor.userId) ?? 0;
      if (total >= changeStreamLimits.total || mine >= changeStreamLimits.perUser) {
        throw new ProblemError('request.rate-limited', 'Too many open change streams; pull on a timer instead.');
      }
      const { store, changes } = app.deps;
      const reach = await loadSyncReach(actor, store);
      const projects = new Set(reach.projects.keys());

      total += 1;
      open.set(actor.userId, mine + 1);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      });
      res.write('retry: 5000\n\nevent: ready\ndata: {}\n\n');

      streams.add(res);
      let ended = false;
      const pending = new Set<string>();
      let flush: NodeJS.Timeout | null = null;
      const send = () => {
        flush = null;
        for (const projectId of pending) res.write(`event: changed\ndata: ${JSON.stringify({ projectId })}\n\n`);
        pending.clear();
      };
      const onChange = (listId: string) => {
        void (async () => {
          let projectId = listProjects.get(listId);
          if (projectId === undefined) {
            projectId = await projectOfList(listId, store);
            if (projectId === undefined) return;
            if (listProjects.size > 10_000) listProjects.clear();
            listProjects.set(listId, projectId);
          }
          if (!projects.has(projectId) || ended) return;
          pending.add(projectId);
          flush ??= setTimeout(send, coalesceMs);
        })().catch((err: unknown) => request.log.warn({ err }, 'change notice not delivered'));
      };
      const unsubscribe = changes.subscribe(onChange);
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
      const lifetime = setTimeout(() => res.end(), (request.query.wait ?? 600) * 1000);
      const end = () => {
        if (ended) return;
        ended = true;
        streams.delete(res);
        unsubscribe();
        clearInterval(heartbeat);
        clearTimeout(lifetime);
        if (flush !== null) clearTimeout(flush);
        total -= 1;
        const left = (open.get(actor.userId) ?? 1) - 1;
        if (left <= 0) open.delete(actor.userId);
        else open.set(actor.userId, left);
      };
      res.on('close', end);
    },
  );
}
