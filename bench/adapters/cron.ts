import { CronJob } from 'cron';
import type { Adapter } from '../core/bench-job.js';
import { cronOrDate, HandleScheduler } from './handle-scheduler.js';
import { trackedRun } from './intended-tracker.js';

export const adapter: Adapter = {
  create: () =>
    new HandleScheduler<CronJob>(
      (job) =>
        CronJob.from({
          cronTime: cronOrDate(job),
          onTick: trackedRun(job.run, job.schedule),
          start: true,
        }),
      (job) => void job.stop(),
    ),
};
