import type { JobState, JobStatus, Monitoring } from '../../src/index.js';

/**
 * A monitoring that keeps a snapshot of every state it receives, so tests can read the
 * sequence of changes, not only the latest one.
 */
export class RecordingMonitoring implements Monitoring {
  readonly saves: JobState[] = [];
  readonly #latest = new Map<string, JobState>();

  saveMetrics(state: JobState): void {
    const snapshot = snapshotOf(state);
    this.saves.push(snapshot);
    this.#latest.set(state.jobId, snapshot);
  }

  getMetrics(): Record<string, unknown> {
    return Object.fromEntries(this.#latest);
  }

  /** Every state saved for one job, oldest first. */
  savesOf(jobId: string): JobState[] {
    return this.saves.filter((state) => state.jobId === jobId);
  }

  /** The statuses saved for one job, with repeats of the same status folded into one. */
  statusesOf(jobId: string): JobStatus[] {
    const statuses: JobStatus[] = [];
    for (const state of this.savesOf(jobId)) {
      if (statuses.at(-1) !== state.status) statuses.push(state.status);
    }

    return statuses;
  }
}

function snapshotOf(state: JobState): JobState {
  return {
    ...state,
    data: { ...state.data },
    error: { ...state.error, hookError: { ...state.error.hookError } },
  };
}

/** True when `needle` appears in `haystack` in order, not necessarily side by side. */
export function isSubsequence<T>(needle: readonly T[], haystack: readonly T[]): boolean {
  let found = 0;
  for (const item of haystack) {
    if (found < needle.length && item === needle[found]) found += 1;
  }

  return found === needle.length;
}
