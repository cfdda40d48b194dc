import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ProblemError, readerView } from '@outpost/core';
import type { Actor } from '../../auth/sessions.js';
import { attachmentDirs } from '../../attachments/attachmentDirs.js';
import { findFinishedUpload } from '../../storage/queries/attachments.js';
import type { ReadableAttachment } from '../../attachments/findReadableAttachment.js';
import { findReadableAttachment, readsAttachments } from '../../attachments/findReadableAttachment.js';
import { checkLink, linkAttachment } from '../../attachments/linkAttachment.js';
import { mayAttach } from '../../attachments/mayAttach.js';
import { canThumbnail, thumbnailOf } from '../../attachments/thumbnail.js';
import { readUploadMetadata } from '../../attachments/uploadMetadata.js';
import { createUploadServer, parseMetadataHeader, uploadIdPattern } from '../../attachments/uploadServer.js';
import { imageWithoutMetadata } from '../../attachments/withoutMetadata.js';
import { openProject, requireProjectAction } from '../../policy/index.js';
import type { ProjectAccess } from '../../policy/index.js';
import { appendAuditEvent } from '../../storage/queries/audit.js';
import { requireActor } from '../authenticate.js';

const TUS_VERSION = '1.0.0';
const Sha256Param = Type.String({ pattern: '^[0-9a-f]{64}$' });
const BlobParams = Type.Object({ projectId: Type.String({ format: 'uuid' }), sha256: Sha256Param });
const ProjectParams = Type.Object({ projectId: Type.String({ format: 'uuid' }) });
const UploadParams = Type.Object({ uploadId: Type.String({ maxLength: 64 }) });
const LinkBody = Type.Object(
  {
    instanceId: Type.String({ minLength: 1, maxLength: 200 }),
    name: Type.String({ minLength: 1, maxLength: 255 }),
    sha256: Sha256Param,
    bytes: Type.Integer({ minimum: 0, maximum: 1024 * 1024 * 1024 }),
    contentType: Type.Optional(Type.String({ maxLength: 130 })),
  },
  { additionalProperties: false },
);

// Shown inline (an <img> or <audio> in the app); anything else downloads, so an uploaded HTML or
// SVG file can never run as a page of this origin.
const inlineTypes = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/avif',
  'audio/mpeg',
  'audio/ogg',
  'audio/webm',
  'audio/mp4',
  'video/mp4',
  'video/webm',
]);

function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Attachments: resumable uploads (tus 1.0 at /uploads), linking a file the server already has,
 * and downloads of originals and thumbnails. Every decision is the policy's: attaching needs
 * `cases.write` on the submission (`mayAttach`), reading needs `cases.read` on the file as a
 * record of its submission and question class (`findReadableAttachment`). Out of reach answers
 * 404 like a missing file, so hashes and instance ids cannot be probed.
 */
export async function attachmentRoutes(app: FastifyInstance): Promise<void> {
  const { store, blobs, settings, clock } = app.deps;
  const uploads = createUploadServer({
    path: `${app.prefix}/uploads`,
    directory: attachmentDirs(settings.dataDir).uploads,
    maxBytes: settings.attachmentMaxBytes,
    store,
    blobs,
    now: () => clock.now(),
  });

  // tus bodies are streamed to the upload file by the tus server: this parser leaves the request
  // stream unread (the tus server caps it at Upload-Length, not the JSON body limit).
  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));

  async function toTus(
    request: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    uploadId: string | null,
  ): Promise<void> {
    reply.hijack();
    // Hijacked replies skip the onSend hook that marks API responses uncacheable.
    reply.raw.setHeader('cache-control', 'no-store');
    await uploads.handle(request.raw, reply.raw, actor.userId, uploadId);
  }

  function sendOffset(reply: FastifyReply, bytes: number): FastifyReply {
    return reply
      .code(200)
      .header('tus-resumable', TUS_VERSION)
      .header('upload-offset', String(bytes))
      .header('upload-length', String(bytes))
      .send();
  }

  async function create(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const actor = await requireActor(request, reply);
    const lengthHeader = request.headers['upload-length'];
    if (typeof lengthHeader !== 'string' || !/^\d{1,15}$/.test(lengthHeader)) {
      throw new ProblemError('attachment.invalid', 'Send Upload-Length with the file size in bytes.');
    }
    const bytes = Number(lengthHeader);
    // Refused here, before the tus server creates anything (S16).
    if (bytes > settings.attachmentMaxBytes) {
      throw new ProblemError('attachment.too-large', `The limit is ${settings.attachmentMaxBytes} bytes.`);
    }
    const metaHeader = request.headers['upload-metadata'];
    const raw = parseMetadataHeader(typeof metaHeader === 'string' ? metaHeader : undefined);
    if (raw === null) throw new ProblemError('attachment.invalid', 'Upload-Metadata is malformed.');
    const read = readUploadMetadata(raw);
    if (!read.ok) throw new ProblemError('attachment.invalid', read.detail);
    const { metadata } = read;
    await requireAttachable(actor, metadata.projectId, metadata.instanceId);
    const check = await checkLink({ ...metadata, bytes }, store);
    if (!check.ok) throw new ProblemError(check.code, check.detail);
    await toTus(request, reply, actor, null);
  }

  /** The project as the uploader may write to it, and the submission within her reach. */
  async function requireAttachable(actor: Actor, projectId: string, instanceId: string): Promise<ProjectAccess> {
    const access = await openProject(actor, projectId, store);
    requireProjectAction(access, 'cases.write');
    if (!(await mayAttach(access.actor, access.project.id, instanceId, store))) {
      throw new ProblemError('attachment.not-found', 'No such submission for you.');
    }
    return access;
  }

  app.post('/uploads', create);
  app.post('/uploads/', create);

  app.route<{ Params: Static<typeof UploadParams> }>({
    method: ['HEAD', 'PATCH', 'DELETE'],
    url: '/uploads/:uploadId',
    schema: { params: UploadParams },
    handler: async (request, reply) => {
      const actor = await requireActor(request, reply);
      const id = request.params.uploadId;
      const upload = uploadIdPattern.test(id) ? await uploads.find(id) : undefined;
      // Another user's upload answers exactly like a missing one.
      if (upload === undefined || upload.createdBy !== actor.userId) {
        const finished = uploadIdPattern.test(id) ? await findFinishedUpload(id, store) : undefined;
        if (finished !== undefined && finished.created_by === actor.userId) {
          // Done already (its last response may have been lost): say so instead of letting the
          // device start over.
          if (request.method === 'HEAD') return sendOffset(reply, finished.bytes);
          if (request.method === 'DELETE') return reply.code(204).header('tus-resumable', TUS_VERSION).send();
        }
        throw new ProblemError('attachment.not-found', 'No such upload in progress.');
      }
      if (request.method === 'HEAD' && upload.size !== undefined && upload.offset === upload.size) {
        // Every byte arrived but the server stopped before finishing: finish now.
        const result = await uploads.finish(id);
        if (result?.ok === true) return sendOffset(reply, upload.size);
        if (result !== undefined) throw new ProblemError(result.code, result.detail);
      }
      // The id checked above is the one the upload server acts on (issue 9, point 6).
      await toTus(request, reply, actor, id);
      return reply;
    },
  });

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof LinkBody> }>(
    '/projects/:projectId/attachments',
    { schema: { params: ProjectParams, body: LinkBody } },
    async (request, reply) => {
      const identity = await requireActor(request, reply);
      const body = request.body;
      const { project, actor } = await requireAttachable(identity, request.params.projectId, body.instanceId);
      const read = readUploadMetadata({
        sha256: body.sha256,
        projectId: project.id,
        instanceId: body.instanceId,
        name: body.name,
        ...(body.contentType === undefined ? {} : { contentType: body.contentType }),
      });
      if (!read.ok) throw new ProblemError('attachment.invalid', read.detail);
      const link = { ...read.metadata, bytes: body.bytes };
      const check = await checkLink(link, store);
      if (!check.ok) throw new ProblemError(check.code, check.detail);
      if (check.existing !== null) return reply.code(200).send({ linked: true, created: false });
      // Only a file this user could already read may be reused: otherwise "linked" would tell
      // them that someone, somewhere, holds a file with this hash.
      const known = (await findReadableAttachment(actor, project.id, body.sha256, store))?.row;
      if (known === undefined || known.bytes !== body.bytes || !(await blobs.exists(body.sha256))) {
        throw new ProblemError('attachment.not-found', 'The server has no copy of this file for you: upload it.');
      }
      const result = await linkAttachment(
        { ...link, contentType: body.contentType === undefined ? known.content_type : link.contentType },
        { userId: identity.userId, at: clock.now().toISOString() },
        store,
      );
      if (!result.ok) throw new ProblemError(result.code, result.detail);
      return reply.code(result.created ? 201 : 200).send({ linked: true, created: result.created });
    },
  );

  async function readable(
    request: FastifyRequest<{ Params: Static<typeof BlobParams> }>,
    reply: FastifyReply,
  ): Promise<ReadableAttachment & { access: ProjectAccess }> {
    const identity = await requireActor(request, reply);
    const access = await openProject(identity, request.params.projectId, store);
    if (!readsAttachments(access.actor, access.project.id)) throw new ProblemError('auth.forbidden');
    const found = await findReadableAttachment(access.actor, access.project.id, request.params.sha256, store);
    if (found === undefined) throw new ProblemError('attachment.not-found');
    return { ...found, access };
  }

  async function audit(
    access: ProjectAccess,
    found: ReadableAttachment,
    variant: 'original' | 'without-metadata' | 'thumbnail',
  ): Promise<void> {
    await appendAuditEvent(
      {
        actorId: access.actor.userId,
        action: 'attachment.read',
        subject: found.row.sha256,
        details: { projectId: access.project.id, instanceId: found.row.instance_id, variant },
        at: clock.now().toISOString(),
      },
      store,
    );
  }

  function sendBlob(
    reply: FastifyReply,
    blob: { bytes: number; stream: NodeJS.ReadableStream | Buffer },
    type: string,
    name: string,
    etag: string,
  ): FastifyReply {
    const inline = inlineTypes.has(type);
    return reply
      .type(inline ? type : 'application/octet-stream')
      .header('content-length', String(blob.bytes))
      .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', name))
      .header('etag', `"${etag}"`)
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(blob.stream);
  }

  app.get<{ Params: Static<typeof BlobParams> }>(
    '/projects/:projectId/attachments/:sha256',
    { schema: { params: BlobParams } },
    async (request, reply) => {
      const found = await readable(request, reply);
      const { row, record, access } = found;
      const blob = await blobs.get(row.sha256);
      if (blob === null)
        throw new ProblemError('attachment.not-found', 'The file is linked but its bytes are missing.');
      if (readerView(access.actor, record)?.location === 'exact') {
        await audit(access, found, 'original');
        return sendBlob(reply, blob, row.content_type, row.name, row.sha256);
      }
      // A role shown coarsened or no locations gets the picture without the position the camera
      // wrote into it; a file whose metadata cannot be removed is not given at all.
      const plain = await imageWithoutMetadata(blob, row.content_type);
      if (plain === null) {
        throw new ProblemError(
          'attachment.not-found',
          'This file may carry an exact position, which your role is not shown.',
        );
      }
      await audit(access, found, 'without-metadata');
      return sendBlob(
        reply,
        { bytes: plain.bytes.byteLength, stream: plain.bytes },
        plain.contentType,
        row.name,
        `${row.sha256}-without-metadata`,
      );
    },
  );

  app.get<{ Params: Static<typeof BlobParams> }>(
    '/projects/:projectId/attachments/:sha256/thumbnail',
    { schema: { params: BlobParams } },
    async (request, reply) => {
      const found = await readable(request, reply);
      const { row } = found;
      if (!canThumbnail(row.content_type)) {
        throw new ProblemError('attachment.not-found', 'This file is not an image: it has no thumbnail.');
      }
      const thumb = await thumbnailOf(row.sha256, { store, blobs, now: () => clock.now() });
      if (thumb === null) throw new ProblemError('attachment.not-found', 'No thumbnail can be made of this file.');
      await audit(found.access, found, 'thumbnail');
      const base = row.name.replace(/\.[^.]*$/, '') || 'photo';
      return sendBlob(reply, thumb, 'image/jpeg', `${base}-thumbnail.jpg`, `${row.sha256}-thumbnail`);
    },
  );
}
