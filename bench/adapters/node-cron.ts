import { schedule, type ScheduledTask } from 'node-cron';
import type { Adapter } from '../core/bench-job.js';
import { HandleScheduler } from './handle-scheduler.js';

export const adapter: Adapter = {
  create: () =>
    new HandleScheduler<ScheduledTask>(
      (job) => {
        if (job.schedule.type !== 'cron') throw new Error('node-cron runs cron jobs only');
        const run = job.run;

        return schedule(job.schedule.expression, (context) => run(context.date.getTime()));
      },
      (task) => void task.destroy(),
    ),
};
