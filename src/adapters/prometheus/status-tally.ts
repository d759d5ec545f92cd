/** The statuses a tally counts: a job is in one of them while a run of it is live. */
export type LiveStatus = 'running' | 'paused';

/**
 * How many jobs of each pool are running and paused, kept up to date one job at a
 * time so a scrape reads two numbers per pool instead of walking every job.
 */
export class StatusTally {
  readonly #statusOf = new Map<string, Map<string, LiveStatus>>();
  readonly #counts = new Map<string, Record<LiveStatus, number>>();

  /** Records the live status of a job, or that it has none (`undefined`). */
  set(poolId: string, jobId: string, status: LiveStatus | undefined): void {
    const jobs = this.#jobsOf(poolId);
    const counts = this.countsOf(poolId);
    const before = jobs.get(jobId);
    if (before === status) return;

    if (before !== undefined) counts[before]--;
    if (status === undefined) {
      jobs.delete(jobId);
    } else {
      counts[status]++;
      jobs.set(jobId, status);
    }
  }

  /** The running and paused counts of one pool. */
  countsOf(poolId: string): Record<LiveStatus, number> {
    let counts = this.#counts.get(poolId);
    if (counts === undefined) {
      counts = { running: 0, paused: 0 };
      this.#counts.set(poolId, counts);
    }
    return counts;
  }

  /** Every pool seen, with its counts. */
  pools(): IterableIterator<[string, Record<LiveStatus, number>]> {
    return this.#counts.entries();
  }

  #jobsOf(poolId: string): Map<string, LiveStatus> {
    let jobs = this.#statusOf.get(poolId);
    if (jobs === undefined) {
      jobs = new Map();
      this.#statusOf.set(poolId, jobs);
    }
    return jobs;
  }
}
