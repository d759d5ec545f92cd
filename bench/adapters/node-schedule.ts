import { scheduleJob, type Job } from 'node-schedule';
import type { Adapter } from '../core/bench-job.js';
import { cronOrDate, HandleScheduler } from './handle-scheduler.js';

export const adapter: Adapter = {
  create: () =>
    new HandleScheduler<Job>(
      (job) => {
        const run = job.run;

        return scheduleJob(cronOrDate(job), (fireDate) => void run(fireDate.getTime()));
      },
      (job) => job.cancel(),
    ),
};
