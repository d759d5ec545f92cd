import { isThenable } from '../config/checks.js';
import type { OrbitError } from '../errors/orbit-error.js';
import { jobFailed } from './hook-runner.js';
import { isThreadTarget } from './job-target.js';
import type { Run } from './run.js';

/** How a job's function ended: `undefined` for success, else the run's error. */
export type RunOutcome = OrbitError | undefined;

/**
 * How the executor calls a job's function: on the pool's thread or in a worker thread.
 * The executor owns everything else about a run (hooks, deadline, state changes).
 */
export interface RunStrategy {
  /**
   * Calls the function of `run`'s job. Returns the outcome when the function finished at
   * once, or a promise of it; the promise never rejects.
   */
  invoke(run: Run): RunOutcome | Promise<RunOutcome>;
  /**
   * Whether a timed-out run waits for this strategy's outcome. A function on the pool's
   * thread cannot be stopped, so its run closes at the timeout; a worker thread can be
   * terminated, so its run closes when the thread has stopped, by itself or by force.
   */
  readonly waitsAfterAbort: boolean;
}

/** Calls the job's `fn` on the pool's thread. */
export const inlineStrategy: RunStrategy = {
  waitsAfterAbort: false,

  invoke(run: Run): RunOutcome | Promise<RunOutcome> {
    const target = run.job.config.target;
    if (isThreadTarget(target)) throw new Error('Orbit: a worker job reached the inline strategy');

    let result: unknown;
    let pending: boolean;
    try {
      result = target(run);
      // Inside the try: a `then` getter of the job's own may throw too.
      pending = isThenable(result);
    } catch (thrown) {
      return jobFailed(run, thrown);
    }

    if (!pending) return undefined;
    return Promise.resolve(result).then(
      () => undefined,
      (thrown: unknown) => jobFailed(run, thrown),
    );
  },
};
