import { ApiProblem } from './ApiProblem.js';

/** Bytes sent so far and in all. */
export type SendProgress = (loaded: number, total: number) => void;

/**
 * A request whose body's progress is reported (fetch has no upload progress): XMLHttpRequest,
 * answered as a Response so the same problem decoding reads a refusal. Cookies go along (same origin).
 */
export function sendWithProgress(
  method: string,
  url: string,
  headers: Readonly<Record<string, string>>,
  body: Blob,
  onProgress: SendProgress | undefined,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.withCredentials = true;
    xhr.responseType = 'blob';
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress?.(event.loaded, event.lengthComputable ? event.total : body.size);
    xhr.onload = () => {
      const type = xhr.getResponseHeader('content-type');
      resolve(
        new Response(xhr.status === 204 ? null : (xhr.response as Blob), {
          status: xhr.status,
          statusText: xhr.statusText,
          headers: type === null ? {} : { 'content-type': type },
        }),
      );
    };
    xhr.onerror = () => reject(ApiProblem.unreachable(new Error('upload failed')));
    xhr.onabort = () => reject(ApiProblem.unreachable(new Error('upload aborted')));
    xhr.send(body);
  });
}
