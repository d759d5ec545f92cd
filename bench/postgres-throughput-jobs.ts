import type { StoredJobDefinition } from '../src/store/postgres/job-definition.js';

/** The pool every benchmark process shares. */
export const BENCH_POOL = 'bench';

/** Far ahead, so no job is due until the driver makes it due; the same in every process. */
const START_AT_MS = Date.UTC(2100, 0, 1);

/** `count` hourly jobs, not yet due. */
export function benchJobs(count: number, startAtMs = START_AT_MS): StoredJobDefinition[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `job-${i}`,
    schedule: { kind: 'interval', periodMs: 3_600_000 },
    startAtMs,
    endAtMs: undefined,
    misfire: 'once',
    retry: { active: false, count: 0, resetOnSuccess: false },
  }));
}
