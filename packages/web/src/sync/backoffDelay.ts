/** Backoff settings of docs/sync-protocol.md, "Retries and backoff". */
export const backoff = { baseMs: 1_000, capMs: 5 * 60_000 } as const;

/**
 * How long to wait before retry number `attempt` (0 for the first retry): `min(cap, base · 2^attempt)`
 * scaled by a random factor in [0.5, 1], so devices that failed together do not retry together,
 * and never sooner than the server's `retryAfterSeconds`.
 */
export function backoffDelay(
  attempt: number,
  random: () => number,
  options: { readonly retryAfterSeconds?: number | undefined; readonly baseMs?: number; readonly capMs?: number } = {},
): number {
  const base = options.baseMs ?? backoff.baseMs;
  const cap = options.capMs ?? backoff.capMs;
  const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 30));
  const jittered = Math.round(ceiling * (0.5 + 0.5 * Math.min(Math.max(random(), 0), 1)));
  return Math.max(jittered, (options.retryAfterSeconds ?? 0) * 1_000);
}
