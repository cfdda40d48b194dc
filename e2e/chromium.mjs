// Plain JavaScript so the benchmarks (bench/, run by Node without a TypeScript step) share it.

/** Debian's Chromium, or the one OUTPOST_CHROMIUM names. */
export const chromiumPath = process.env['OUTPOST_CHROMIUM'] ?? '/usr/bin/chromium';

/** The flags that keep Chromium from calling home or reaching for a GPU or sandbox during a test. */
export const quietChromiumFlags = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]);
