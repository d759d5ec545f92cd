import { JobStatus } from '../job/job-status.js';
import type { Pool } from '../pool/pool.js';

/** How often jobs a durable store restored as ended are looked for: they send no event. */
const RESTORED_CHECK_MS = 1_000;

/**
 * Resolves once every job added to `pool` since this call has ended or been removed.
 *
 * It follows the pool's events, not its metrics: a monitoring may list a job only once a
 * durable store has registered it (the Prometheus one does), and a job not yet listed
 * must not count as ended. A job a store restored as ended sends no `job:ended`; it
 * counts once the pool's metrics report it `ended`.
 *
 * Call it before adding the jobs. With no job added, it never resolves.
 */
export function everyJobEnded(pool: Pool): Promise<void> {
  const live = new Set<string>();
  return new Promise((resolve) => {
    const settle = (id: string) => {
      live.delete(id);
      if (live.size === 0) {
        clearInterval(timer);
        resolve();
      }
    };
    const checkRestored = () => {
      const states = pool.getMetrics();
      for (const id of live) if (states[id]?.status === JobStatus.Ended) settle(id);
    };
    const timer = setInterval(checkRestored, RESTORED_CHECK_MS);
    timer.unref();

    pool.on('job:added', ({ jobId }) => live.add(jobId));
    pool.on('job:ended', ({ jobId }) => settle(jobId));
    pool.on('job:removed', ({ jobId }) => settle(jobId));
    pool.on('pool:killed', () => clearInterval(timer));
  });
}
