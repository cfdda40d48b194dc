/**
 * Product names that read the same in every language (the catalogs' Mongolian has no Latin
 * letters): put into the texts that name them as `{collect}` and `{qr}`.
 */
export const brands = { collect: 'ODK Collect', qr: 'QR' };
