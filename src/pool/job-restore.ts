import { ERROR_CODES, type ErrorCode } from '../errors/error-codes.js';
import { OrbitError } from '../errors/orbit-error.js';
import type { Job } from '../job/job.js';
import type { JobStateMachine } from '../job/job-state-machine.js';
import { JobStatus } from '../job/job-status.js';
import type { Registration, RunRecord, StoredError } from '../store/store.js';

/**
 * Gives a job that was just added the state its store kept: counts, fence, latest run,
 * position and status. A run the store found live, left by a process that is gone, fails
 * with `RUN_LOST` through the retry policy. A job the store did not know, or whose
 * schedule changed, keeps no position and is scheduled afresh.
 */
export function restoreJob(
  job: Job,
  registration: Registration,
  states: JobStateMachine,
  nowMs: number,
): void {
  const stored = registration.job;
  job.fence = stored.fence;
  job.success = stored.success;
  job.failure = stored.failure;
  job.retriesUsed = stored.retriesUsed;
  job.lastStartMs = stored.lastStartAt ?? Number.NaN;
  job.lastEndMs = stored.lastEndAt ?? Number.NaN;
  job.jobError = stored.lastError === undefined ? undefined : toOrbitError(stored.lastError, job);
  job.restoreData(stored.data);

  if (!registration.isFresh && stored.dueAt !== undefined) {
    job.dueAt = stored.dueAt;
    job.scheduled = true;
    job.restored = true;
  } else if (stored.dueAt !== undefined) {
    // Scheduled afresh at `run()`, it starts later than where it was registered.
    job.claimFromMs = stored.dueAt;
    job.claimPassesNone = true;
  }

  const lost = registration.lostRun;
  if (lost !== undefined) {
    recoverLostRun(job, lost, stored.status === 'paused', states, nowMs);
    return;
  }

  if (stored.status === 'stopped') states.restoreStatus(job, JobStatus.Stopped);
  else if (stored.status === 'ended' && !registration.isFresh) {
    states.restoreStatus(job, JobStatus.Ended);
  } else if (stored.status === 'paused') states.hold(job);
}

/**
 * A run left live by a process that is gone: it fails with `RUN_LOST` through the retry
 * policy, and its end is written with its fence. A pause that was on stays on.
 */
export function recoverLostRun(
  job: Job,
  lost: RunRecord,
  wasPaused: boolean,
  states: JobStateMachine,
  nowMs: number,
): void {
  const recovery = {
    scheduledAtMs: lost.scheduledAt,
    fence: lost.fence,
    startedAtMs: lost.startedAt,
    wasPaused,
  };
  states.recoverLost(job, recovery, runLost(job, lost), nowMs);
}

function runLost(job: Job, lost: RunRecord): OrbitError {
  const dueIso = new Date(lost.scheduledAt).toISOString();
  return new OrbitError(
    'RUN_LOST',
    `run ${lost.fence} of job '${job.id}' (due ${dueIso}) was lost with process ${lost.node}`,
    { jobId: job.id },
  );
}

/** A stored error comes back as an `OrbitError`; what the job threw did not survive. */
function toOrbitError(stored: StoredError, job: Job): OrbitError {
  const code = stored.code in ERROR_CODES ? (stored.code as ErrorCode) : 'JOB_EXECUTION';
  return new OrbitError(code, stored.message, { jobId: job.id });
}
