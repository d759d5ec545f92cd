import type { BenchJob, BenchScheduler } from '../core/bench-job.js';

/**
 * For libraries that hand back one object per job and keep no index by id: the adapter keeps
 * a `Map` from id to that object (its cost is counted with the library's heap per job).
 */
export class HandleScheduler<Handle> implements BenchScheduler {
  #handles = new Map<string, Handle>();
  #schedule: (job: BenchJob) => Handle;
  #cancel: (handle: Handle) => void;

  constructor(schedule: (job: BenchJob) => Handle, cancel: (handle: Handle) => void) {
    this.#schedule = schedule;
    this.#cancel = cancel;
  }

  start(): void {
    // Jobs start when added.
  }

  add(job: BenchJob): void {
    this.#handles.set(job.id, this.#schedule(job));
  }

  remove(id: string): void {
    const handle = this.#handles.get(id);
    if (handle === undefined) return;
    this.#handles.delete(id);
    this.#cancel(handle);
  }

  stop(): Promise<void> {
    for (const handle of this.#handles.values()) this.#cancel(handle);
    this.#handles.clear();

    return Promise.resolve();
  }
}

/** The cron expression or the one-off instant of a job, for libraries that take either. */
export function cronOrDate(job: BenchJob): string | Date {
  if (job.schedule.type === 'cron') return job.schedule.expression;
  if (job.schedule.type === 'once') return new Date(job.schedule.atMs);
  throw new Error(`interval jobs are not run on this library here (${job.id})`);
}
