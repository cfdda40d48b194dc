import { createHash } from 'node:crypto';
import path from 'node:path';
import type { BlobStore } from '../attachments/BlobStore.js';

/** At most this many media files with one form version, and at most this many bytes each. */
export const MAX_FORM_MEDIA_FILES = 100;
export const MAX_FORM_MEDIA_BYTES = 50 * 1024 * 1024;

/** A file given with a form on publishing (`outpost form publish FILE --media FILE…`). */
export interface MediaUpload {
  name: string;
  bytes: Uint8Array;
}

export interface PreparedMedia {
  name: string;
  sha256: string;
  md5: string;
  bytes: number;
  contentType: string;
  content: Uint8Array;
}

const REFERENCE = /jr:\/\/(?:images|audio|video|file|file-csv)\/([^"'<>\s]+)/g;

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, (_m, e: string) =>
    e.startsWith('#x') || e.startsWith('#X')
      ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(parseInt(e.slice(1), 10))
        : (ENTITY[e.toLowerCase()] ?? `&${e};`),
  );

/**
 * The file names an XForm expects as media, as ODK Central lists them: the last part of every
 * `jr://images/`, `jr://audio/`, `jr://video/`, `jr://file/` and `jr://file-csv/` reference.
 */
export function expectedMedia(xform: string): string[] {
  const names = new Set<string>();
  for (const m of xform.matchAll(REFERENCE)) {
    const raw = unescapeXml(m[1] ?? '');
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      name = raw;
    }
    name = name.split('/').pop() ?? name;
    if (name !== '') names.add(name.normalize('NFC'));
  }
  return [...names].sort();
}

const TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.amr': 'audio/amr',
  '.mp4': 'video/mp4',
  '.3gp': 'video/3gpp',
  '.webm': 'video/webm',
  '.csv': 'text/csv; charset=utf-8',
  '.geojson': 'application/geo+json',
  '.json': 'application/json',
  '.xml': 'text/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** The content type a media file is served with, from its extension. */
export function mediaContentType(name: string): string {
  return TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream';
}

export type MediaCheck =
  | { ok: true; media: PreparedMedia[]; missing: string[] }
  | { ok: false; code: 'form.media-unexpected' | 'form.media-too-large'; detail: string };

/**
 * Checks the files given with a form against the names the XForm expects. A file the form does not
 * name is refused (ODK Central answers 404 for it); a named one not given is allowed and reported
 * as missing, as Central publishes with missing attachments — except the entity lists the server
 * builds itself (`servedByServer`, as `cases.csv`).
 */
export function checkMedia(
  files: readonly MediaUpload[],
  expected: readonly string[],
  servedByServer: ReadonlySet<string>,
): MediaCheck {
  if (files.length > MAX_FORM_MEDIA_FILES) {
    return {
      ok: false,
      code: 'form.media-too-large',
      detail: `${files.length} media files given; at most ${MAX_FORM_MEDIA_FILES} go with one form version.`,
    };
  }
  const wanted = new Set(expected);
  const seen = new Set<string>();
  const media: PreparedMedia[] = [];
  for (const file of files) {
    const name = file.name.normalize('NFC');
    if (!wanted.has(name)) {
      return {
        ok: false,
        code: 'form.media-unexpected',
        detail: `The form does not use a media file named "${name}"; it names ${expected.length === 0 ? 'none' : expected.map((e) => `"${e}"`).join(', ')}.`,
      };
    }
    if (seen.has(name)) {
      return { ok: false, code: 'form.media-unexpected', detail: `The media file "${name}" is given twice.` };
    }
    if (file.bytes.length > MAX_FORM_MEDIA_BYTES) {
      return {
        ok: false,
        code: 'form.media-too-large',
        detail: `The media file "${name}" has ${file.bytes.length} bytes; at most ${MAX_FORM_MEDIA_BYTES} are accepted.`,
      };
    }
    seen.add(name);
    media.push({
      name,
      sha256: createHash('sha256').update(file.bytes).digest('hex'),
      md5: createHash('md5').update(file.bytes).digest('hex'),
      bytes: file.bytes.length,
      contentType: mediaContentType(name),
      content: file.bytes,
    });
  }
  return { ok: true, media, missing: expected.filter((e) => !seen.has(e) && !servedByServer.has(e)) };
}

/** Puts the media bytes in the content-addressed store (a blob already there is kept). */
export async function storeMediaBlobs(media: readonly PreparedMedia[], blobs: BlobStore): Promise<void> {
  for (const m of media) {
    const put = await blobs.put([m.content], { sha256: m.sha256, bytes: m.bytes });
    if (!put.ok) throw new Error(`form media ${m.name}: ${put.detail}`);
  }
}
