import { OrbitError } from '../errors/orbit-error.js';
import type { Job } from '../job/job.js';
import { JobStatus } from '../job/job-status.js';

/**
 * Refuses `Pool.runNow` for a job that cannot start a run at `nowMs`: one with a run in
 * progress, a stopped one, one whose window has not opened, or any job of a pool that
 * does not run.
 *
 * @throws OrbitError `JOB_ALREADY_RUNNING`, `JOB_NOT_RUNNABLE`.
 */
export function checkRunnableNow(job: Job, nowMs: number, poolRuns: boolean): void {
  const jobId = job.id;
  if (job.status === JobStatus.Running || job.status === JobStatus.Paused) {
    throw new OrbitError(
      'JOB_ALREADY_RUNNING',
      `job '${jobId}' is ${job.status}; its run must end before it can run again`,
      { jobId },
    );
  }

  const why = notRunnableReason(job, nowMs, poolRuns);
  if (why !== undefined) {
    throw new OrbitError('JOB_NOT_RUNNABLE', `job '${jobId}' cannot run now: ${why}`, { jobId });
  }
}

function notRunnableReason(job: Job, nowMs: number, poolRuns: boolean): string | undefined {
  if (job.status === JobStatus.Stopped) return 'it is stopped; resume it first';
  if (job.status !== JobStatus.Waiting) return `it is ${job.status}`;
  if (!poolRuns) return 'its pool is not running; call run() first';

  const { startAtMs } = job.config;
  if (startAtMs !== undefined && startAtMs > nowMs) {
    return `its window opens at ${new Date(startAtMs).toISOString()}`;
  }
  return undefined;
}
