import { describe, expect, it } from 'vitest';
import { deviceName } from './deviceName.js';

const day = new Date('2026-11-27T08:00:00Z');

describe('deviceName', () => {
  it.each([
    [
      'Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      'Chrome · Android · 2026-11-27',
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      'Chrome · Linux · 2026-11-27',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
      'Firefox · Windows · 2026-11-27',
    ],
    [
      'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/604.1',
      'Safari · iOS · 2026-11-27',
    ],
  ])('names %s', (userAgent, name) => {
    expect(deviceName(userAgent, day)).toBe(name);
  });

  it('names no browser or system it does not know, in no language', () => {
    expect(deviceName('curl/8.0', day)).toBe('2026-11-27');
  });
});
