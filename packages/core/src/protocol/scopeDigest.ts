import { Fnv1a64 } from './fnv1a64.js';

export interface VersionedId {
  readonly id: string;
  readonly version: number;
}

export interface Digest {
  readonly count: number;
  /** 16 lower-case hex digits. */
  readonly hash: string;
}

/**
 * Summarises a set of records so device and server can tell whether they hold the same versions
 * without sending them: FNV-1a 64 over the lines `id:version\n`, sorted by id in UTF-16 code-unit
 * order (JavaScript's default sort), so the server and the device agree whatever order their
 * storage returns. Ids must not contain a newline (wire ids are printable ASCII, see
 * Identifier), which keeps one line per record. Not a security measure: it detects accidental drift, nothing else.
 */
export function scopeDigest(records: Iterable<VersionedId>): Digest {
  const sorted = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const hash = new Fnv1a64();
  for (const record of sorted) hash.update(`${record.id}:${record.version}\n`);
  return { count: sorted.length, hash: hash.digest() };
}
