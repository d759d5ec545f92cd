import type { OrbitError } from '../errors/orbit-error.js';
import type { PoolEvents } from '../events/pool-events.js';
import { RingBuffer } from './ring-buffer.js';

/** How a run ended, as the dashboard shows it. */
export type RunOutcome = 'succeeded' | 'failed' | 'stopped';

/** An error as the dashboard sends it: its code and message only. */
export interface ErrorView {
  readonly code: string;
  readonly message: string;
}

/** One finished run, from the pool's events. */
export interface FinishedRun {
  readonly startedAtMs: number;
  readonly outcome: RunOutcome;
  /** How long it took; `undefined` for a run cut short by a stop. */
  readonly durationMs: number | undefined;
  readonly error: ErrorView | undefined;
}

/** How many finished runs of each job the sparkline shows. */
export const RECENT_RUNS = 30;

/** What the dashboard remembers of one job's runs. */
export class JobRuns {
  /** Recent runs that succeeded or failed, oldest first; stopped runs have no duration. */
  readonly recent = new RingBuffer<FinishedRun>(RECENT_RUNS);
  /** The latest run that ended, whatever its end. */
  latest: FinishedRun | undefined;
  /** The start of the run in progress, if one is. */
  startedAtMs: number | undefined;
}

/**
 * The recent runs of every job of one pool, kept from the pool's events since the
 * dashboard started. A pool's monitoring holds only the latest run of each job; the
 * sparkline needs a few more.
 */
export class RunHistory {
  readonly #jobs = new Map<string, JobRuns>();

  of(jobId: string): JobRuns | undefined {
    return this.#jobs.get(jobId);
  }

  started(event: PoolEvents['run:started']): void {
    this.#runs(event.jobId).startedAtMs = event.startedAt.getTime();
  }

  ended(event: PoolEvents['run:succeeded'] | PoolEvents['run:failed']): void {
    const error = 'error' in event ? errorView(event.error) : undefined;
    const run: FinishedRun = {
      startedAtMs: event.startedAt.getTime(),
      outcome: error === undefined ? 'succeeded' : 'failed',
      durationMs: event.durationMs,
      error,
    };
    const runs = this.#runs(event.jobId);
    runs.recent.push(run);
    runs.latest = run;
    runs.startedAtMs = undefined;
  }

  stopped(event: PoolEvents['job:stopped']): void {
    const runs = this.#runs(event.jobId);
    if (event.abortedRun === undefined || runs.startedAtMs === undefined) return;

    const { startedAtMs } = runs;
    runs.latest = { startedAtMs, outcome: 'stopped', durationMs: undefined, error: undefined };
    runs.startedAtMs = undefined;
  }

  forget(jobId: string): void {
    this.#jobs.delete(jobId);
  }

  #runs(jobId: string): JobRuns {
    let runs = this.#jobs.get(jobId);
    if (runs === undefined) {
      runs = new JobRuns();
      this.#jobs.set(jobId, runs);
    }
    return runs;
  }
}

/** The code and message of an error, for the page. */
export function errorView(error: OrbitError | undefined): ErrorView | undefined {
  if (error === undefined) return undefined;
  return { code: error.code, message: error.message };
}
