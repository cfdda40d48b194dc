import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export type DecodeResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly path: string; readonly message: string };

/**
 * Checks an untrusted value (a parsed request or response body) against a message schema.
 * Interpreted, not compiled: the PWA's CSP forbids eval. The value is not copied or coerced, so
 * a decoded message is exactly what was sent.
 *
 * `path` is a JSON pointer to the first offending member ("" for the root).
 */
export function decodeMessage<S extends TSchema>(schema: S, value: unknown): DecodeResult<Static<S>> {
  if (Value.Check(schema, value)) return { ok: true, value };
  const first = Value.Errors(schema, value).First();
  return { ok: false, path: first?.path ?? '', message: first?.message ?? 'Invalid message' };
}
