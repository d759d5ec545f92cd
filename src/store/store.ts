import type { Job } from '../job/job.js';

/**
 * Where a pool keeps its jobs. The state machine tells the store after every change
 * (`save`); the in-memory store holds the live jobs themselves, so for it a save costs
 * nothing, while a durable store writes the job's state down.
 */
export interface Store {
  add(job: Job): void;
  get(jobId: string): Job | undefined;
  has(jobId: string): boolean;
  /** A job's state changed. */
  save(job: Job): void;
  delete(jobId: string): void;
  /** Every job, in order of addition. */
  jobs(): IterableIterator<Job>;
  readonly size: number;
}
