/**
 * The name a tablet registers under, for the device list of the user and the administrator: the
 * browser and system from the user agent, and the day of the first sign-in, e.g.
 * "Chromium · Linux · 2026-11-27": product names and a date, which read the same in every language.
 * Stable for that sign-in; a new sign-in registers a new device, which its user or an administrator
 * can then name.
 */
export function deviceName(userAgent: string, now: Date): string {
  const browser = /\bEdg\//.test(userAgent)
    ? 'Edge'
    : /\bFirefox\//.test(userAgent)
      ? 'Firefox'
      : /Chromium\//.test(userAgent)
        ? 'Chromium'
        : // Headless Chromium says "HeadlessChrome/…".
          /Chrome\//.test(userAgent)
          ? 'Chrome'
          : /\bSafari\//.test(userAgent)
            ? 'Safari'
            : null;
  const system = /\bAndroid\b/.test(userAgent)
    ? 'Android'
    : /\b(iPad|iPhone|iPod)\b/.test(userAgent)
      ? 'iOS'
      : /\bWindows\b/.test(userAgent)
        ? 'Windows'
        : /\bMac OS X\b/.test(userAgent)
          ? 'macOS'
          : /\bCrOS\b/.test(userAgent)
            ? 'ChromeOS'
            : /\bLinux\b/.test(userAgent)
              ? 'Linux'
              : null;
  return [browser, system, now.toISOString().slice(0, 10)].filter((part) => part !== null).join(' · ');
}
