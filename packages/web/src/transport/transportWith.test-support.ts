import type { SyncTransport } from '../sync/createHttpSyncApi.js';
import { createTransport, type FetchLike, type Transport } from './createTransport.js';

/** The app's transport over a given fetch, with credentials a test chooses (a fixed token, a stale CSRF token). */
export function transportWith(options: {
  readonly credentials: Transport['credentials'];
  readonly fetch?: FetchLike;
  readonly baseUrl?: string;
}): SyncTransport {
  const transport = createTransport({
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
  });
  return { fetch: transport.fetch, credentials: options.credentials };
}
