import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import parseRange from 'range-parser';
import { ProblemError } from '@outpost/core';
import {
  BASEMAP_LIMIT_BYTES,
  PMTILES_TYPE,
  projectBasemapInfo,
  readProjectBasemap,
  replaceProjectBasemap,
} from '../../basemaps/projectBasemap.js';
import { openProject, requireProjectAction } from '../../policy/index.js';
import { requireActor } from '../authenticate.js';

const ProjectParams = Type.Object({ projectId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
type Params = Static<typeof ProjectParams>;
const UPLOAD_TYPES = [PMTILES_TYPE, 'application/octet-stream'];

/**
 * A project's offline basemap: one PMTiles archive an administrator uploads (replacing the one
 * before), read by every member's map through HTTP range requests as the `pmtiles` library makes
 * them, and cached whole by the device for offline use.
 */
export async function basemapRoutes(app: FastifyInstance): Promise<void> {
  // Only in this plugin: the rest of the API keeps refusing binary bodies.
  app.addContentTypeParser(UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: BASEMAP_LIMIT_BYTES }, (_req, body, done) =>
    done(null, body),
  );

  app.put<{ Params: Params }>(
    '/projects/:projectId/basemap',
    { schema: { params: ProjectParams }, bodyLimit: BASEMAP_LIMIT_BYTES },
    async (request, reply) => {
      const identity = await requireActor(request, reply);
      const access = await openProject(identity, request.params.projectId, app.deps.store);
      requireProjectAction(access, 'projects.manage');
      const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (!Buffer.isBuffer(request.body) || !UPLOAD_TYPES.includes(type)) {
        throw new ProblemError('request.unsupported-media-type', `Send the basemap as ${PMTILES_TYPE}.`);
      }
      const result = await replaceProjectBasemap(
        access.project.id,
        new Uint8Array(request.body),
        app.deps.blobs,
        app.deps.store,
      );
      if (!result.ok) throw new ProblemError('basemap.invalid');
      return { sha256: result.basemap.sha256, bytes: result.basemap.bytes };
    },
  );

  // What the device compares with its cached copy: the hash changes when the basemap is replaced.
  app.get<{ Params: Params }>(
    '/projects/:projectId/basemap',
    { schema: { params: ProjectParams } },
    async (request, reply) => {
      const identity = await requireActor(request, reply);
      const access = await openProject(identity, request.params.projectId, app.deps.store);
      const basemap = await projectBasemapInfo(access.project.id, app.deps.store);
      if (basemap === undefined) throw new ProblemError('basemap.none');
      return { sha256: basemap.sha256, bytes: basemap.bytes };
    },
  );

  app.get<{ Params: Params }>(
    '/projects/:projectId/basemap.pmtiles',
    { schema: { params: ProjectParams } },
    async (request, reply) => {
      const identity = await requireActor(request, reply);
      const access = await openProject(identity, request.params.projectId, app.deps.store);
      const { store, blobs } = app.deps;
      const info = await projectBasemapInfo(access.project.id, store);
      if (info === undefined) throw new ProblemError('basemap.none');
      const header = request.headers.range;
      let range: { start: number; end: number } | undefined;
      if (header !== undefined) {
        const parsed = parseRange(info.bytes, header, { combine: true });
        if (parsed === -1 || parsed === -2 || parsed.type !== 'bytes' || parsed.length !== 1) {
          void reply.header('content-range', `bytes */${info.bytes}`);
          throw new ProblemError('basemap.range-not-satisfiable');
        }
        range = { start: parsed[0]!.start, end: parsed[0]!.end };
      }
      const read = await readProjectBasemap(access.project.id, range, blobs, store);
      if (read === undefined) throw new ProblemError('basemap.none');
      return send(reply, read.basemap.sha256, read.basemap.bytes, range, read.blob.stream);
    },
  );
}

function send(
  reply: FastifyReply,
  sha256: string,
  total: number,
  range: { start: number; end: number } | undefined,
  stream: NodeJS.ReadableStream,
): FastifyReply {
  void reply
    .type(PMTILES_TYPE)
    .header('accept-ranges', 'bytes')
    .header('etag', `"${sha256}"`)
    // Members only: never in a shared cache. The device keeps its own copy (web/src/device/basemap).
    .header('cache-control', 'private, no-cache');
  if (range === undefined) return reply.header('content-length', total).send(stream);
  return reply
    .code(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${total}`)
    .header('content-length', range.end - range.start + 1)
    .send(stream);
}
