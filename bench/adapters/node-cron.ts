import { schedule, type ScheduledTask } from 'node-cron';
import type { Adapter } from '../core/bench-job.js';
import { HandleScheduler } from './handle-scheduler.js';

export const adapter: Adapter = {
  create: () =>
    new HandleScheduler<ScheduledTask>(
      (job) => {
        if (job.schedule.type !== 'cron') throw new Error('node-cron runs cron jobs only');
        const run = job.run;

        // A missed slot is logged to stderr by default; under load that is one synchronous
        // write per job per second, which would be measured instead of the scheduling.
        return schedule(job.schedule.expression, (context) => run(context.date.getTime()), {
          suppressMissedWarning: true,
        });
      },
      (task) => void task.destroy(),
    ),
};
