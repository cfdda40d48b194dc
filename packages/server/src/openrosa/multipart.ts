/** One part of a `multipart/form-data` body. */
export interface FormPart {
  /** The form field name (`xml_submission_file`, or the attachment's file name for Collect). */
  name: string;
  /** The file name sent, if any (UTF-8, so Cyrillic names survive). */
  fileName: string | null;
  contentType: string;
  content: Buffer;
}

export type MultipartResult = { ok: true; parts: FormPart[] } | { ok: false; detail: string };

/** The boundary of a `multipart/form-data` Content-Type, or null when it is not one. */
export function multipartBoundary(contentType: string | undefined): string | null {
  const [type, ...params] = (contentType ?? '').split(';');
  if (type?.trim().toLowerCase() !== 'multipart/form-data') return null;
  for (const param of params) {
    const match = /^\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))\s*$/i.exec(param);
    if (match) return match[1] ?? match[2] ?? null;
  }
  return null;
}

function headerParam(header: string, param: string): string | null {
  const extended = new RegExp(`;\\s*${param}\\*=(?:UTF-8|utf-8)''([^;]+)`).exec(header);
  if (extended?.[1] !== undefined) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      return null;
    }
  }
  const quoted = new RegExp(`;\\s*${param}="((?:[^"\\\\]|\\\\.)*)"`).exec(header);
  if (quoted?.[1] !== undefined) return quoted[1].replace(/\\(.)/g, '$1');
  const bare = new RegExp(`;\\s*${param}=([^;\\s]+)`).exec(header);
  return bare?.[1] ?? null;
}

/**
 * Splits a whole `multipart/form-data` body (already bounded by the route's body limit) into its
 * parts. Header bytes are read as UTF-8, as browsers and ODK Collect send file names.
 */
export function parseMultipart(body: Buffer, boundary: string, maxParts: number): MultipartResult {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) return { ok: false, detail: 'The body has no multipart boundary.' };
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') return { ok: true, parts };
    if (body.subarray(at, at + 2).toString() !== '\r\n')
      return { ok: false, detail: 'A multipart boundary is malformed.' };
    const headerEnd = body.indexOf('\r\n\r\n', at + 2);
    if (headerEnd < 0) return { ok: false, detail: 'A multipart part has no end of headers.' };
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) return { ok: false, detail: 'The multipart body ends without its closing boundary.' };
    const headers = body
      .subarray(at + 2, headerEnd)
      .toString('utf8')
      .split('\r\n');
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const type = headers.find((h) => /^content-type:/i.test(h));
    const name = headerParam(disposition, 'name');
    if (name === null) return { ok: false, detail: 'A multipart part has no name.' };
    parts.push({
      name,
      fileName: headerParam(disposition, 'filename'),
      contentType: type === undefined ? 'application/octet-stream' : type.slice(type.indexOf(':') + 1).trim(),
      content: body.subarray(headerEnd + 4, next),
    });
    if (parts.length > maxParts) return { ok: false, detail: `At most ${maxParts} parts are accepted.` };
    at = next + 2;
  }
}
