/** The survey's `parameters` column: `key=value` pairs separated by spaces, commas or semicolons. */
export type Parameters = Record<string, string>;

export function parseParameters(raw: string | undefined): Parameters {
  const out: Parameters = {};
  if (!raw) return out;
  for (const part of raw.split(/[\s;,]+/)) {
    const [k, v] = part.split('=');
    if (k && v !== undefined) out[k.trim().toLowerCase()] = v.trim();
  }
  return out;
}
