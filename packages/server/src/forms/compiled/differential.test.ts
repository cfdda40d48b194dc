// The differential test of issue 14: for every template form and pyxform fixture, generated
// instances are judged by the ODK engine and by the compiled validator, and the verdicts (every
// violation: field, condition, message, in order) must be identical. A bounded run here, on a
// fixed seed so that a build lands or not on its own merits (printed, and named in a failure);
// `npm run bench:differential` and `OUTPOST_DIFF_SEED=random` explore new seeds, longer, and print
// the counts; a difference found there becomes a unit test in compiledForms.test.ts.
//
//   OUTPOST_DIFF_RUNS   instances per form and seed (12)
//   OUTPOST_DIFF_SEED   the first seed (1; `random` for a new one); a failure names its seed: set it to replay
//   OUTPOST_DIFF_SEEDS  how many seeds, OUTPOST_DIFF_SEED, +1, +2, … (1)
//   OUTPOST_DIFF_FORMS  only forms whose name contains one of these (comma-separated)
//   OUTPOST_DIFF_REPORT write the counts as JSON to this file
//   OUTPOST_DIFF_TIMEOUT_S the property's time limit, seconds (from the number of instances unless set;
//                       the benchmark sets it for a slow machine)
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatorFor } from './compiledForms.js';
import { judgeBoth } from './differential.test-support.js';
import type { CorpusForm } from './formCorpus.test-support.js';
import { formCorpus } from './formCorpus.test-support.js';
import { instanceArbitrary } from './instanceGen.test-support.js';

const RUNS = Number(process.env['OUTPOST_DIFF_RUNS'] ?? 12);
const seedSetting = process.env['OUTPOST_DIFF_SEED'] ?? '1';
const FIRST_SEED = seedSetting === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(seedSetting);
const SEEDS = Array.from({ length: Number(process.env['OUTPOST_DIFF_SEEDS'] ?? 1) }, (_, i) => FIRST_SEED + i);
const REPORT = process.env['OUTPOST_DIFF_REPORT'];
const ONLY = process.env['OUTPOST_DIFF_FORMS']?.split(',').filter((f) => f !== '');

const TIMEOUT_S = process.env['OUTPOST_DIFF_TIMEOUT_S'];

interface Counts {
  instances: number;
  misshapen: number;
  /** Sent a repeat count the engine would build and cannot (differential.test-support): not compared. */
  unjudged: number;
  compared: number;
  valid: number;
  invalid: number;
  /** Form × seed runs that failed (fast-check stops at the first failing instance and shrinks it). */
  differences: number;
  /** Of those, the shrunk instance is valid for one validator and not for the other… */
  verdictDifferences: number;
  /** …or invalid for both, with different violations (field, condition, message or order)… */
  fieldDifferences: number;
  /** …or a validator threw instead of judging. */
  errors: number;
}
const counts = (): Counts => ({
  instances: 0,
  misshapen: 0,
  unjudged: 0,
  compared: 0,
  valid: 0,
  invalid: 0,
  differences: 0,
  verdictDifferences: 0,
  fieldDifferences: 0,
  errors: 0,
});

let corpus: CorpusForm[] = [];
const tally = { ...counts(), forms: 0, engineMs: 0, compiledMs: 0 };
const perForm: Record<string, Counts> = {};
const differences: Array<{ form: string; seed: number; kind: DifferenceKind; detail: string }> = [];
type DifferenceKind = 'verdict' | 'field' | 'error';

beforeAll(async () => {
  corpus = await formCorpus();
  console.log(`differential: seeds ${SEEDS.join(', ')} (OUTPOST_DIFF_SEED=${FIRST_SEED} replays), ${RUNS} runs`);
}, 120_000);

afterAll(() => {
  const summary = { runsPerForm: RUNS, seeds: SEEDS, ...tally, perForm, differenceDetails: differences };
  console.log(`differential: ${JSON.stringify({ ...summary, perForm: undefined })}`);
  if (REPORT !== undefined) writeFileSync(REPORT, JSON.stringify(summary));
});

describe('compiled validator against the ODK engine', () => {
  it('covers every template form and every pyxform fixture', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
    const fallbacks = corpus.flatMap((f) => {
      const v = validatorFor(f.xform);
      return v.kind === 'engine' ? [`${f.name}: ${v.reason}`] : [];
    });
    expect(fallbacks).toEqual([]);
  });

  it(
    'gives the same violations as the engine for generated instances of each form',
    async () => {
      const forms = corpus.filter((f) => ONLY === undefined || ONLY.some((name) => f.name.includes(name)));
      for (const form of forms) {
        tally.forms += 1;
        const mine = (perForm[form.name] = counts());
        for (const seed of SEEDS) {
          // The last instance judged differently is the shrunk one fast-check reports.
          let kind = 'error' as DifferenceKind;
          try {
            await fc.assert(
              fc.asyncProperty(instanceArbitrary(form.xform), async (xml) => {
                const verdicts = await judgeBoth(form.xform, xml);
                for (const c of [tally, mine]) c.instances += 1;
                if (verdicts.misshapen) {
                  for (const c of [tally, mine]) c.misshapen += 1;
                  return;
                }
                if (verdicts.unjudged) {
                  for (const c of [tally, mine]) c.unjudged += 1;
                  return;
                }
                for (const c of [tally, mine]) {
                  c.compared += 1;
                  if (verdicts.engine.length === 0) c.valid += 1;
                  else c.invalid += 1;
                }
                tally.engineMs += verdicts.engineMs;
                tally.compiledMs += verdicts.compiledMs;
                if (JSON.stringify(verdicts.compiled) !== JSON.stringify(verdicts.engine)) {
                  kind = (verdicts.engine.length === 0) === (verdicts.compiled.length === 0) ? 'field' : 'verdict';
                }
                expect({ form: form.name, violations: verdicts.compiled }).toEqual({
                  form: form.name,
                  violations: verdicts.engine,
                });
              }),
              { numRuns: RUNS, seed },
            );
          } catch (err) {
            // Every form and seed still runs: a failure lists all the differences found.
            for (const c of [tally, mine]) {
              c.differences += 1;
              if (kind === 'verdict') c.verdictDifferences += 1;
              else if (kind === 'field') c.fieldDifferences += 1;
              else c.errors += 1;
            }
            const detail = err instanceof Error ? err.message : String(err);
            differences.push({ form: form.name, seed, kind, detail });
          }
        }
      }
      expect(differences.map((d) => `${d.form} (OUTPOST_DIFF_SEED=${d.seed}): ${d.detail}`)).toEqual([]);
      expect(tally.compared).toBeGreaterThan(tally.forms * SEEDS.length * RUNS * 0.8);
      expect(tally.valid).toBeGreaterThan(0);
      expect(tally.invalid).toBeGreaterThan(0);
    },
    TIMEOUT_S === undefined
      ? Math.max(300_000, RUNS * SEEDS.length * corpus.length * 1_000, RUNS * SEEDS.length * 40_000)
      : Number(TIMEOUT_S) * 1_000,
  );
});
