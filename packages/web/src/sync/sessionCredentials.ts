import type { SyncCredentials } from './createHttpSyncApi.js';

/**
 * Credentials for a browser that syncs with its session cookie: the cookie goes by itself, and
 * writes need the session's CSRF token, read from `/me` once and again after the server refused
 * it. A device token, when the app has one, is used instead (no CSRF needed).
 */
export function sessionCredentials(source: {
  readonly csrfToken: () => Promise<string | null>;
  readonly deviceToken?: () => Promise<string | null>;
}): SyncCredentials & { readonly current: () => Readonly<Record<string, string>> } {
  let cached: Readonly<Record<string, string>> = {};
  const credentials = async ({ refresh }: { readonly refresh: boolean }): Promise<Readonly<Record<string, string>>> => {
    const token = (await source.deviceToken?.()) ?? null;
    if (token !== null) {
      cached = { authorization: `Bearer ${token}` };
      return cached;
    }
    if (refresh || cached['x-csrf-token'] === undefined) {
      const csrf = await source.csrfToken();
      cached = csrf === null ? {} : { 'x-csrf-token': csrf };
    }
    return cached;
  };
  return Object.assign(credentials, { current: () => cached });
}
