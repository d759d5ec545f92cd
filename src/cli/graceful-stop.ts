import type { Pool } from '../pool/pool.js';
import { JobStatus } from '../job/job-status.js';

/** How a graceful stop went. */
export interface StopOutcome {
  /** Runs that were in progress when the stop began and finished on their own. */
  readonly finished: number;
  /** Runs still in progress when the grace period ran out (or was cut short): aborted. */
  readonly aborted: number;
}

/** Options of {@link stopGracefully}. */
export interface StopOptions {
  /** How long runs in progress may take to finish before they are aborted. */
  readonly graceMs: number;
  /** How long `kill` then waits for aborted runs to settle. */
  readonly killTimeoutMs: number;
  /** Settles when the wait must be cut short, as on a second Ctrl-C. */
  readonly hurry: Promise<void>;
}

const LIVE: ReadonlySet<string> = new Set([JobStatus.Running, JobStatus.Paused]);

/**
 * Stops a pool without cutting runs short: no run starts any more, runs in progress may
 * finish within the grace period, then the pool is killed and whatever still runs is
 * aborted with `POOL_SHUTDOWN`.
 */
export async function stopGracefully(pool: Pool, options: StopOptions): Promise<StopOutcome> {
  const running = new Set<string>();
  const states = pool.getMetrics();
  for (const [jobId, state] of Object.entries(states)) {
    if (LIVE.has(state.status)) running.add(jobId);
    else if (state.status !== JobStatus.Stopped && state.status !== JobStatus.Ended)
      stopQuietly(pool, jobId);
  }

  const startedWith = running.size;
  let allDone: () => void = () => undefined;
  const drained = new Promise<void>((resolve) => (allDone = resolve));
  const settle = (jobId: string, stop: boolean): void => {
    if (!running.delete(jobId)) return;
    if (stop) stopQuietly(pool, jobId);
    if (running.size === 0) allDone();
  };
  const unsubscribe = watchRunEnds(pool, settle);
  if (running.size === 0) allDone();

  let timer: ReturnType<typeof setTimeout> | undefined;
  const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.graceMs)));
  await Promise.race([drained, graceOver, options.hurry]);
  clearTimeout(timer);
  unsubscribe();

  const aborted = running.size;
  await pool.kill({ timeout: options.killTimeoutMs });
  return { finished: startedWith - aborted, aborted };
}

/**
 * Calls `settle(jobId, true)` when a run ends and the job must now be stopped, and
 * `settle(jobId, false)` when the job left or was stopped otherwise. Returns the undo.
 */
function watchRunEnds(pool: Pool, settle: (jobId: string, stop: boolean) => void): () => void {
  const runOver = ({ jobId }: { jobId: string }) => settle(jobId, true);
  const jobGone = ({ jobId }: { jobId: string }) => settle(jobId, false);
  pool.on('run:succeeded', runOver).on('run:failed', runOver);
  pool.on('job:stopped', jobGone).on('job:ended', jobGone).on('job:removed', jobGone);
  return () => {
    pool.off('run:succeeded', runOver).off('run:failed', runOver);
    pool.off('job:stopped', jobGone).off('job:ended', jobGone).off('job:removed', jobGone);
  };
}

/** Stops a job that may have left the pool meanwhile. */
function stopQuietly(pool: Pool, jobId: string): void {
  try {
    pool.stopJob(jobId);
  } catch {
    // The job ended or was removed since: there is nothing left to stop.
  }
}
