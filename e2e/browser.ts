import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, headless; the flags keep it from calling home during a test. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['OUTPOST_CHROMIUM'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
