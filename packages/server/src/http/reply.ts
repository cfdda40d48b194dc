import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Problem, ProblemCode } from '@outpost/core';
import { problem } from '@outpost/core';

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json; charset=utf-8').send(p);
}

export function sendProblemCode(
  reply: FastifyReply,
  code: ProblemCode,
  detail?: string,
  extra?: { field?: string },
): FastifyReply {
  return sendProblem(reply, problem(code, detail, extra));
}

/** The answer for an address no route serves. */
export function notFound(request: FastifyRequest): Problem {
  return problem('request.not-found', `No resource at ${request.method} ${request.url.split('?')[0] ?? ''}.`);
}
