import { isSha256 } from './BlobStore.js';

/** What a device says about a file when it starts uploading it (tus `Upload-Metadata`). */
export interface UploadMetadata {
  readonly sha256: string;
  readonly projectId: string;
  readonly instanceId: string;
  /** The file name the XForm instance uses for it. */
  readonly name: string;
  readonly contentType: string;
}

export type MetadataResult = { ok: true; metadata: UploadMetadata } | { ok: false; detail: string };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Printable ASCII without spaces, like every id of the sync protocol.
const instanceIdPattern = /^[\x21-\x7e]{1,200}$/;
// No path separators, quotes or control characters: the name ends up in Content-Disposition.
function isFileName(name: string): boolean {
  if (name.length < 1 || name.length > 255 || /["\\/]/.test(name)) return false;
  return [...name].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f);
}
const contentTypePattern = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;

export const defaultContentType = 'application/octet-stream';

/** Checks the metadata fields a device must send; values arrive already base64-decoded. */
export function readUploadMetadata(raw: Readonly<Record<string, string | null | undefined>>): MetadataResult {
  const sha256 = raw['sha256'] ?? '';
  const projectId = raw['projectId'] ?? '';
  const instanceId = raw['instanceId'] ?? '';
  const name = raw['name'] ?? '';
  const contentType = (raw['contentType'] ?? raw['filetype'] ?? defaultContentType).toLowerCase();
  if (!isSha256(sha256))
    return { ok: false, detail: 'metadata "sha256" must be the lower-case hex SHA-256 of the file.' };
  if (!uuid.test(projectId)) return { ok: false, detail: 'metadata "projectId" must be a project id.' };
  if (!instanceIdPattern.test(instanceId))
    return { ok: false, detail: 'metadata "instanceId" must be the XForm instanceID (printable ASCII, no spaces).' };
  if (!isFileName(name)) return { ok: false, detail: 'metadata "name" must be a file name of 1 to 255 characters.' };
  if (!contentTypePattern.test(contentType))
    return { ok: false, detail: 'metadata "contentType" is not a media type.' };
  return { ok: true, metadata: { sha256, projectId, instanceId, name, contentType } };
}
