import type { FastifyRequest } from 'fastify';
import { ProblemError } from '@outpost/core';
import { MAX_FORM_MEDIA_BYTES, MAX_FORM_MEDIA_FILES } from '../../forms/formMedia.js';
import type { MediaUpload } from '../../forms/formMedia.js';
import { multipartBoundary, parseMultipart } from '../../openrosa/multipart.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The largest workbook taken. */
export const FORM_LIMIT_BYTES = 10 * 1024 * 1024;
/**
 * The largest publishing request with media (`multipart/form-data`): the workbook and media files
 * up to one media file's limit in all. Larger sets go in several requests with the same workbook
 * (publishing it again adds the files).
 */
export const FORM_WITH_MEDIA_LIMIT_BYTES = FORM_LIMIT_BYTES + MAX_FORM_MEDIA_BYTES + 64 * 1024;

/** The workbook part of a publishing request with media; every other part is a `media` file. */
export const XLSFORM_PART = 'xlsform';
export const MEDIA_PART = 'media';

export interface FormUpload {
  fileName: string;
  bytes: Uint8Array;
  media: MediaUpload[];
}

const NAME = /^[^\0<>:"|?*/\\]{1,200}$/;

/** A file name as the browser sent it, without any folder part; null when it is not usable. */
function baseName(raw: string | null): string | null {
  const name = raw?.split(/[\\/]/).pop()?.normalize('NFC') ?? '';
  return NAME.test(name) ? name : null;
}

/** The file name from `Content-Disposition: attachment; filename="x.xlsx"`, if sent. */
function uploadedName(header: string | undefined): string {
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header ?? '');
  let raw: string | null = null;
  try {
    raw = match?.[1] === undefined ? null : decodeURIComponent(match[1]);
  } catch {
    raw = null;
  }
  return baseName(raw) ?? 'form.xlsx';
}

/**
 * The uploaded workbook, its file name and (with `withMedia`) the media files sent with it. The
 * workbook comes as an .xlsx body, or — to give media files too — as `multipart/form-data` with
 * an `xlsform` part and one `media` part per file (named by its file name, Cyrillic kept).
 */
export function formUploadOf(request: FastifyRequest, withMedia: boolean): FormUpload {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === XLSX_TYPE && Buffer.isBuffer(request.body)) {
    // The route's limit is the larger one of publishing with media: a bare workbook keeps its own.
    if (request.body.length > FORM_LIMIT_BYTES) {
      throw new ProblemError('request.too-large', `The workbook may have at most ${FORM_LIMIT_BYTES} bytes.`);
    }
    return {
      fileName: uploadedName(request.headers['content-disposition']),
      bytes: new Uint8Array(request.body),
      media: [],
    };
  }
  const boundary = withMedia ? multipartBoundary(request.headers['content-type']) : null;
  if (boundary === null || !Buffer.isBuffer(request.body)) {
    throw new ProblemError(
      'request.unsupported-media-type',
      withMedia
        ? `Send the XLSForm as ${XLSX_TYPE}, or as multipart/form-data with an "${XLSFORM_PART}" part and "${MEDIA_PART}" parts.`
        : `Send the XLSForm as ${XLSX_TYPE}.`,
    );
  }
  // One part more than the media limit lets publishing say how many files were too many.
  const parsed = parseMultipart(request.body, boundary, MAX_FORM_MEDIA_FILES + 2);
  if (!parsed.ok) throw new ProblemError('request.invalid', parsed.detail);
  const books = parsed.parts.filter((p) => p.name === XLSFORM_PART);
  const book = books[0];
  if (book === undefined || books.length > 1) {
    throw new ProblemError('request.invalid', `Send exactly one "${XLSFORM_PART}" part with the workbook.`);
  }
  if (book.content.length > FORM_LIMIT_BYTES) {
    throw new ProblemError('request.too-large', `The workbook may have at most ${FORM_LIMIT_BYTES} bytes.`);
  }
  const media: MediaUpload[] = [];
  for (const part of parsed.parts) {
    if (part === book) continue;
    if (part.name !== MEDIA_PART) {
      throw new ProblemError(
        'request.invalid',
        `Unknown part "${part.name}"; send "${XLSFORM_PART}" and "${MEDIA_PART}".`,
      );
    }
    const name = baseName(part.fileName);
    if (name === null) throw new ProblemError('request.invalid', `A "${MEDIA_PART}" part has no usable file name.`);
    media.push({ name, bytes: new Uint8Array(part.content) });
  }
  return { fileName: baseName(book.fileName) ?? 'form.xlsx', bytes: new Uint8Array(book.content), media };
}
