import type { JobConfig } from '../src/job/job-config.js';

/** The pool every benchmark process shares. */
export const BENCH_POOL = 'bench';

/**
 * `count` hourly jobs that do nothing, the same in every process. They have no `startAt`:
 * the first process to add them stores them as due at once, so they fall due in every
 * process when its pool runs.
 */
export function benchJobs(count: number): JobConfig[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `job-${i}`,
    interval: { time: '1h' },
    fn: () => undefined,
  }));
}
