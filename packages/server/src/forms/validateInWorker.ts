import { availableParallelism } from 'node:os';
import { ProblemError } from '@outpost/core';
import type { InstanceViolation } from './formEngine.js';
import { createWorkerPool } from './workerPool.js';

/** Validation in the ODK engine, off the event loop. */
export const validationLimits = {
  /** One instance's check; past it the submission is answered 503 and the device retries. */
  timeLimitMs: 20_000,
  maxHeapMb: 512,
  /**
   * Validations running at once, one per worker: one per core, at least two (so one slow form
   * version never holds up another's submissions) and at most four (each worker loads the engine
   * and keeps its own cache of loaded forms: seconds and about 100 MB each).
   */
  concurrent: Math.min(4, Math.max(2, availableParallelism())),
};

const pool = createWorkerPool({
  script: 'forms/validateWorker',
  size: validationLimits.concurrent,
  maxHeapMb: validationLimits.maxHeapMb,
});

/**
 * Checks a submitted instance against its form in the ODK engine (formEngine.validateInstanceHere)
 * in a worker thread, so however long the engine takes, other requests are answered. An instance
 * whose check runs out of time or memory is not judged: a retryable server.unavailable (503),
 * never a refusal the device would act on.
 */
export async function validateInstance(xform: string, instanceXml: string): Promise<InstanceViolation[]> {
  const outcome = await pool.run<InstanceViolation[]>({ xform, xml: instanceXml }, validationLimits.timeLimitMs);
  if (outcome.ok) return outcome.value;
  throw new ProblemError(
    'server.unavailable',
    outcome.reason === 'timeout'
      ? `Checking the submission took longer than ${validationLimits.timeLimitMs / 1000} seconds; send it again later.`
      : 'Checking the submission took more memory than allowed; send it again later.',
  );
}

/**
 * Starts every validation worker and loads the engine in each (all at once: each warm job holds
 * its worker until loaded), so the first submissions after a start do not wait for that. Called
 * once the server listens; costs nothing on the event loop. The promise ends when all are warm
 * (a failure is left to the first validation to meet).
 */
export async function warmValidation(): Promise<void> {
  await Promise.all(
    Array.from({ length: validationLimits.concurrent }, () =>
      pool.run<InstanceViolation[]>({ warm: true }, validationLimits.timeLimitMs * 3).catch(() => undefined),
    ),
  );
}
