import { describe, expect, it } from 'vitest';
import { groupSecret } from './groupSecret.js';
import { qrCodeDataUrl } from './qrCodeDataUrl.js';

describe('the enrolment key as shown', () => {
  it('groups the secret in fours for copying by hand', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('ABCDEF')).toBe('ABCD EF');
  });

  it('draws the URI as an SVG image the strict CSP allows: a data URL with no style in it', async () => {
    const url = await qrCodeDataUrl('otpauth://totp/Outpost:admin?secret=JBSWY3DPEHPK3PXP&issuer=Outpost');
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    const svg = decodeURIComponent(url.slice(url.indexOf(',') + 1));
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+"/);
    expect(svg).not.toMatch(/style|<script/i);
  });
});
