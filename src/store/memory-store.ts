import type { Job } from '../job/job.js';
import type { Store } from './store.js';

/** The default store: the jobs live in this process only and are gone when it exits. */
export class MemoryStore implements Store {
  readonly #jobs = new Map<string, Job>();

  get size(): number {
    return this.#jobs.size;
  }

  add(job: Job): void {
    this.#jobs.set(job.id, job);
  }

  get(jobId: string): Job | undefined {
    return this.#jobs.get(jobId);
  }

  has(jobId: string): boolean {
    return this.#jobs.has(jobId);
  }

  save(): void {
    // The jobs held here are the live objects: there is nothing to write.
  }

  delete(jobId: string): void {
    this.#jobs.delete(jobId);
  }

  jobs(): IterableIterator<Job> {
    return this.#jobs.values();
  }
}
