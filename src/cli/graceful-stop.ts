import { JobStatus } from '../job/job-status.js';
import type { Pool } from '../pool/pool.js';

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
 * Kills a pool without cutting runs short: no run starts any more, runs in progress may
 * finish within the grace period, and only those still going then are aborted.
 */
export async function stopGracefully(pool: Pool, options: StopOptions): Promise<StopOutcome> {
  const inFlight = Object.values(pool.getMetrics()).filter((state) => LIVE.has(state.status));
  let aborted = 0;
  pool.on('job:stopped', ({ abortedRun }) => {
    if (abortedRun !== undefined) aborted++;
  });

  const killed = pool.kill({ grace: options.graceMs, timeout: options.killTimeoutMs });
  // A second kill() ends the grace period at once; its timeout 0 stops waiting for runs
  // that ignore their abort signal.
  void options.hurry.then(() => pool.kill({ timeout: 0 }));
  await killed;
  return { finished: inFlight.length - aborted, aborted };
}
