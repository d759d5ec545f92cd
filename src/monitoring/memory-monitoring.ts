import type { JobState, Monitoring } from './monitoring.js';

/** The built-in monitoring: keeps the latest state of each job in memory. */
export class MemoryMonitoring implements Monitoring {
  readonly #states = new Map<string, JobState>();

  saveMetrics(state: JobState): void {
    this.#states.set(state.jobId, state);
  }

  getMetrics(): Record<string, JobState> {
    return Object.fromEntries(this.#states);
  }

  /** Forgets a job's state. */
  delete(jobId: string): void {
    this.#states.delete(jobId);
  }
}
