/**
 * The worker's caches are named with this prefix (serviceWorker.ts keeps its own copy: the worker
 * is built alone and must import nothing). They hold only the public build, never /api/ answers,
 * so logout keeps them and the sign-in screen still opens offline afterwards.
 */
export const shellCachePrefix = 'outpost-shell-';

/** The app works without the worker (it only makes reloads offline), so a failure is logged, not shown. */
export function registerServiceWorker(url: string): void {
  if (!('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register(url, { scope: '/' }).catch((error: unknown) => {
      console.warn('Outpost: service worker not registered', error);
    });
  });
}
