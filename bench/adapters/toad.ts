import { SimpleIntervalJob, Task, ToadScheduler } from 'toad-scheduler';
import type { Adapter, BenchJob, BenchScheduler } from '../core/bench-job.js';
import { trackedRun } from './intended-tracker.js';

/** toad-scheduler's SimpleIntervalJob: one `setInterval` per job. */
class ToadBenchScheduler implements BenchScheduler {
  #scheduler = new ToadScheduler();

  start(): void {
    // Jobs start when added.
  }

  add(job: BenchJob): void {
    if (job.schedule.type !== 'interval') throw new Error('toad runs interval jobs only here');
    // toad always fires first one period after the add, whatever start was asked for.
    const run = trackedRun(job.run, { type: 'interval', periodMs: job.schedule.periodMs });
    const task = new Task(job.id, run);
    const schedule = { milliseconds: job.schedule.periodMs };
    this.#scheduler.addSimpleIntervalJob(new SimpleIntervalJob(schedule, task, { id: job.id }));
  }

  remove(id: string): void {
    this.#scheduler.removeById(id);
  }

  stop(): Promise<void> {
    this.#scheduler.stop();

    return Promise.resolve();
  }
}

export const adapter: Adapter = { create: () => new ToadBenchScheduler() };
