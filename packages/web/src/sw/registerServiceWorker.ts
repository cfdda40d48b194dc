/** The app works without the worker (it only makes reloads offline), so a failure is logged, not shown. */
export function registerServiceWorker(url: string): void {
  if (!('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register(url, { scope: '/' }).catch((error: unknown) => {
      console.warn('Outpost: service worker not registered', error);
    });
  });
}
