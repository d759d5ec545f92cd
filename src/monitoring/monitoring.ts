import type { OrbitError } from '../errors/orbit-error.js';
import type { HookName, JobData } from '../job/job-config.js';
import type { JobStatus } from '../job/job-status.js';

/** The errors of a job's latest run; cleared when a new run starts. */
export interface JobErrors {
  /** Why the run failed, with what the job threw as `cause`. */
  jobError?: OrbitError;
  /** Hooks that threw, by hook name. */
  hookError: Partial<Record<HookName, OrbitError>>;
}

/** A snapshot of one job, as monitoring receives it and `getMetrics` returns it. */
export interface JobState {
  jobId: string;
  name: string;
  status: JobStatus;
  /** When the latest run started. */
  startAt: Date | undefined;
  /** When the latest run ended. */
  endAt: Date | undefined;
  /** When the job is next due, while it has a future. */
  nextRun: Date | undefined;
  /** Milliseconds the latest run has taken, refreshed every `checkInterval` while it runs. */
  executionTime: number;
  /** Successful runs. */
  success: number;
  /** Failed runs. */
  failure: number;
  data: JobData;
  error: JobErrors;
}

/**
 * Sees every state change of every job of a pool. Orbit calls `saveMetrics` on each
 * change and every `checkInterval` while a job runs. A monitoring that throws is
 * contained: the pool goes on.
 */
export interface Monitoring {
  saveMetrics(state: JobState): void;
  getMetrics(): Record<string, unknown>;
}
