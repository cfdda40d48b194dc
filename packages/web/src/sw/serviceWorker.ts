// The service worker: keeps the app shell (index.html, the hashed bundles, the manifest and icons)
// so the app opens with no network. It never caches /api/: case data lives in the local store,
// under the sync rules, not in an HTTP cache.
//
// Built by vite.config.ts as dist/sw.js, which replaces the two constants below with the build's
// file list and a hash of it; a new build therefore changes sw.js, and the browser installs it.

declare const __OUTPOST_PRECACHE__: readonly string[];
declare const __OUTPOST_VERSION__: string;

// The DOM lib has no service-worker types, and the WebWorker lib clashes with it in one program.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  readonly location: Location;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const scope = self as unknown as WorkerScope;
// The same as shellCachePrefix in registerServiceWorker.ts, which logout keeps.
const cachePrefix = 'outpost-shell-';
const cacheName = `${cachePrefix}${__OUTPOST_VERSION__}`;
const shellUrl = '/index.html';

scope.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName);
      await cache.addAll(__OUTPOST_PRECACHE__);
      await scope.skipWaiting();
    })(),
  );
});

scope.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((name) => name.startsWith(cachePrefix) && name !== cacheName).map((name) => caches.delete(name)),
      );
      await scope.clients.claim();
    })(),
  );
});

scope.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scope.location.origin || url.pathname.startsWith('/api/')) return;

  if (request.mode === 'navigate') {
    // Network first so a deployed fix shows at once; the cached shell when the network is not there.
    event.respondWith(
      fetch(request).catch(async () => (await caches.match(shellUrl, { cacheName })) ?? Response.error()),
    );
    return;
  }
  event.respondWith((async () => (await caches.match(request, { cacheName })) ?? fetch(request))());
});
