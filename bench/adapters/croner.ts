import { Cron } from 'croner';
import type { Adapter } from '../core/bench-job.js';
import { cronOrDate, HandleScheduler } from './handle-scheduler.js';
import { trackedRun } from './intended-tracker.js';

export const adapter: Adapter = {
  create: () =>
    new HandleScheduler<Cron>(
      (job) => new Cron(cronOrDate(job), trackedRun(job.run, job.schedule)),
      (job) => job.stop(),
    ),
};
