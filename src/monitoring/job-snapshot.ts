import type { Job } from '../job/job.js';
import { JobStatus } from '../job/job-status.js';
import { nextDue } from '../schedule/schedule.js';
import type { JobState } from './monitoring.js';

/** The {@link JobState} of `job` at `nowMs`: a copy that later changes do not touch. */
export function snapshotJob(job: Job, nowMs: number): JobState {
  return {
    jobId: job.id,
    name: job.config.name,
    status: job.status,
    startAt: toDate(job.lastStartMs),
    endAt: toDate(job.lastEndMs),
    nextRun: toDate(nextRunMs(job, nowMs)),
    executionTime: executionTimeMs(job, nowMs),
    success: job.success,
    failure: job.failure,
    data: { ...job.data },
    error: {
      ...(job.jobError === undefined ? {} : { jobError: job.jobError }),
      hookError: { ...job.hookErrors },
    },
  };
}

function nextRunMs(job: Job, nowMs: number): number | undefined {
  switch (job.status) {
    case JobStatus.Waiting:
      return job.scheduled ? job.dueAt : undefined;
    case JobStatus.Stopped:
    case JobStatus.Ended:
      return undefined;
    default: {
      // Running or just finished: the next grid instant or cron match after now.
      const dueMs = nextDue(job.config.schedule, job.dueAt, nowMs);
      const { endAtMs } = job.config;
      return dueMs !== undefined && (endAtMs === undefined || dueMs <= endAtMs) ? dueMs : undefined;
    }
  }
}

function executionTimeMs(job: Job, nowMs: number): number {
  const { lastStartMs, lastEndMs } = job;
  if (Number.isNaN(lastStartMs)) return 0;
  if (!Number.isNaN(lastEndMs)) return lastEndMs - lastStartMs;
  return job.run === undefined ? 0 : nowMs - lastStartMs;
}

/** `undefined` for no instant: `undefined`, or NaN as a job keeps it. */
function toDate(ms: number | undefined): Date | undefined {
  return ms === undefined || Number.isNaN(ms) ? undefined : new Date(ms);
}
