import type { JobConfig } from '../src/job/job-config.js';

/** The pool every benchmark process shares. */
export const BENCH_POOL = 'bench';

/**
 * `count` hourly jobs that do nothing, the same in every process, all first due at
 * `dueAtMs`, with ids `<idPrefix>-<i>`: `job` for the timed jobs, `warm` for the warm-up.
 */
export function benchJobs(
  count: number,
  dueAtMs: number,
  idPrefix: 'job' | 'warm' = 'job',
): JobConfig[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${idPrefix}-${i}`,
    interval: { time: '1h' },
    startAt: new Date(dueAtMs),
    fn: () => undefined,
  }));
}
