import type { SeededRandom } from '@outpost/test-kit';

/**
 * When the crash tests kill a server: at seeded points of the devices' progress, not after a
 * seeded delay. A delay raced the push path: once pushes got faster, the devices could finish
 * before the first kill and nothing was tested. The k-th kill of `kills` waits until
 * acknowledgements reach a seeded point inside the k-th of `kills + 1` equal stretches of the
 * work (so at least the last stretch is still unsent), then a seeded 0–40 ms more, so that it
 * lands in the middle of a request rather than between two.
 */
export function killMoments(
  total: number,
  kills: number,
  random: SeededRandom,
): { waitForKill: (k: number, acked: () => number) => Promise<boolean> } {
  const stretch = total / (kills + 1);
  const points = Array.from({ length: kills }, (_, k) =>
    Math.max(1, Math.floor(stretch * (k + 0.2 + 0.7 * random.next()))),
  );
  const delays = Array.from({ length: kills }, () => random.int(0, 40));
  return {
    /** Resolves true when the k-th kill is due, false when the work finished first. */
    async waitForKill(k, acked) {
      const point = points[k] ?? total;
      while (acked() < point) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, delays[k] ?? 0));
      return acked() < total;
    },
  };
}
