import type { DashboardPool } from './dashboard-pool.js';

/** The buttons of a job, as API actions. */
export type JobAction = 'pause' | 'resume' | 'stop' | 'run';

/** Each action as a pool call; `pauseTimeoutMs` is how long a pause may wait. */
const CALLS: Readonly<
  Record<JobAction, (pool: DashboardPool, jobId: string, pauseTimeoutMs: number) => void>
> = {
  pause: (pool, jobId, pauseTimeoutMs) => pool.pauseJob(jobId, pauseTimeoutMs),
  resume: (pool, jobId) => pool.resumeJob(jobId),
  stop: (pool, jobId) => pool.stopJob(jobId),
  run: (pool, jobId) => pool.runNow(jobId),
};

/** Whether `name` is a {@link JobAction}. */
export function isJobAction(name: string): name is JobAction {
  return Object.hasOwn(CALLS, name);
}

/**
 * Calls the pool method behind `action`. Whatever it throws (`JOB_NOT_FOUND`, a wrong
 * status) goes to the caller.
 */
export function performJobAction(
  pool: DashboardPool,
  jobId: string,
  action: JobAction,
  pauseTimeoutMs: number,
): void {
  CALLS[action](pool, jobId, pauseTimeoutMs);
}
