import type { JobConfig } from '../../../../src/job/job-config.js';
import type { PostgresStoreOptions } from '../../../../src/store/postgres/postgres-options.js';

/** The pool every chaos process shares. */
export const CHAOS_POOL = 'chaos';

/** The jobs' period: one tick a second. */
export const CHAOS_PERIOD_MS = 1_000;

/** The job that the driver pauses, resumes and stops from processes that do not run it. */
export const CONTROLLED_JOB = 'controlled';

/** Short leases so that lost runs are found within the test. */
export const CHAOS_STORE_OPTIONS: PostgresStoreOptions = {
  leaseTtl: 2_500,
  heartbeatInterval: 400,
};

/**
 * Six jobs on a one-second grid from `startAtMs` (four catch up every missed tick after a
 * restart, two run only the latest), retried for ever so they outlive any loss; and one
 * long job that waits at checkpoints until it is stopped.
 */
export function chaosJobs(startAtMs: number): Omit<JobConfig, 'fn'>[] {
  const ticking = ['a', 'b', 'c', 'd', 'e', 'f'].map((id, index) => ({
    id,
    interval: { time: CHAOS_PERIOD_MS },
    startAt: new Date(startAtMs),
    misfire: index < 4 ? ('all' as const) : ('once' as const),
    retry: { active: true, count: 0 },
  }));
  // Its run lasts until it is stopped. Should a stalled process lose that run (RUN_LOST),
  // its next tick runs, so that the driver can try again.
  const controlled = {
    id: CONTROLLED_JOB,
    interval: { time: 2 * CHAOS_PERIOD_MS },
    startAt: new Date(startAtMs),
    retry: { active: true, count: 0 },
  };
  return [...ticking, controlled];
}
