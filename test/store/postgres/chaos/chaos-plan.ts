import type { StoredJobDefinition } from '../../../../src/store/postgres/job-definition.js';
import type { PostgresStoreOptions } from '../../../../src/store/postgres/postgres-options.js';

/** The pool every chaos process shares. */
export const CHAOS_POOL = 'chaos';

/** The jobs' period: one tick a second. */
export const CHAOS_PERIOD_MS = 1_000;

/** Short leases so that lost runs are found within the test. */
export const CHAOS_STORE_OPTIONS: PostgresStoreOptions = {
  leaseTtl: 2_000,
  heartbeatInterval: 400,
  reapInterval: 500,
  pollInterval: 500,
};

/**
 * Six jobs on a one-second grid from `startAtMs`: four catch up every missed tick, two
 * run only the latest. Failures are retried for ever, so the jobs outlive any loss.
 */
export function chaosJobs(startAtMs: number): StoredJobDefinition[] {
  return ['a', 'b', 'c', 'd', 'e', 'f'].map((id, index) => ({
    id,
    schedule: { kind: 'interval', periodMs: CHAOS_PERIOD_MS },
    startAtMs,
    endAtMs: undefined,
    misfire: index < 4 ? 'all' : 'once',
    retry: { active: true, count: 0, resetOnSuccess: false },
  }));
}
