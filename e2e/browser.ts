import { chromium, type Browser } from 'playwright-core';
import { chromiumPath, quietChromiumFlags } from './chromium.mjs';

/** Debian's Chromium, headless and quiet. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: ['--headless', ...quietChromiumFlags] });
}
