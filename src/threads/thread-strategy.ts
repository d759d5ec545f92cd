import { isThreadTarget } from '../job/job-target.js';
import type { Run } from '../job/run.js';
import type { RunOutcome, RunStrategy } from '../job/run-strategy.js';
import type { Logger } from '../logging/logger.js';
import type { Clock } from '../time/clock.js';
import { ThreadPool } from './thread-pool.js';
import { ThreadRun } from './thread-run.js';

/** What the thread strategy of a pool needs. */
export interface ThreadStrategyDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Most threads alive at once. */
  readonly maxThreads: number;
}

/**
 * Runs jobs that name a `worker` module in the worker threads of one Orbit pool. The
 * threads start with the first such run, so a pool without worker jobs has none.
 */
export class ThreadStrategy implements RunStrategy {
  readonly waitsAfterAbort = true;

  readonly #deps: ThreadStrategyDeps;
  #pool: ThreadPool | undefined;

  constructor(deps: ThreadStrategyDeps) {
    this.#deps = deps;
  }

  invoke(run: Run): Promise<RunOutcome> {
    const target = run.job.config.target;
    if (!isThreadTarget(target)) throw new Error('Orbit: an inline job reached the threads');

    const { clock, logger, maxThreads } = this.#deps;
    const pool = (this.#pool ??= new ThreadPool(maxThreads));
    return new Promise<RunOutcome>((settle) => {
      new ThreadRun(run, target, { pool, clock, logger }, settle).start();
    });
  }

  /** Terminates every thread; resolves when all have exited. */
  close(): Promise<void> {
    return this.#pool?.close() ?? Promise.resolve();
  }
}
