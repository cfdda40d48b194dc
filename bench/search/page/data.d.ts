// Types of data.js for the TypeScript pages that reuse its generator (bench/caselist).
export interface SyntheticCase {
  readonly id: string;
  readonly label: string;
  readonly properties: Record<string, string>;
}
export function makeCases(count: number, seed?: number): SyntheticCase[];
