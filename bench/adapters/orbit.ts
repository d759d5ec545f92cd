import { Orbit, type JobConfig, type Pool } from '../../src/index.js';
import type { Adapter, BenchJob, BenchScheduler, ScheduleSpec } from '../core/bench-job.js';

const ONE_OFF_PERIOD_MS = 3_600_000;

type ScheduleFields = Pick<JobConfig, 'interval' | 'cron' | 'startAt'>;

/** Orbit through its public API only: one pool, `addJob`, `removeJob`, `run`, `kill`. */
class OrbitScheduler implements BenchScheduler {
  #pool: Pool;

  constructor(maxWorkers: number) {
    this.#pool = new Orbit().createPool({ maxWorkers });
  }

  start(): void {
    this.#pool.run();
  }

  add(job: BenchJob): void {
    const run = job.run;
    this.#pool.addJob({
      id: job.id,
      fn: (ctrl) => run(ctrl.scheduledAt.getTime()),
      ...scheduleFields(job.schedule),
    });
  }

  remove(id: string): void {
    this.#pool.removeJob(id);
  }

  async stop(): Promise<void> {
    await this.#pool.kill();
  }
}

function scheduleFields(schedule: ScheduleSpec): ScheduleFields {
  if (schedule.type === 'cron') return { cron: schedule.expression };
  if (schedule.type === 'once') {
    return { interval: { time: ONE_OFF_PERIOD_MS }, startAt: new Date(schedule.atMs) };
  }
  const interval = { time: schedule.periodMs };

  return schedule.firstAtMs === undefined
    ? { interval }
    : { interval, startAt: new Date(schedule.firstAtMs) };
}

export const adapter: Adapter = {
  create: ({ maxWorkers }) => new OrbitScheduler(maxWorkers),
};

/** Why Orbit cannot run cron jobs in this build, or undefined when it can. */
export function orbitCronMissing(): string | undefined {
  const pool = new Orbit().createPool();
  try {
    pool.addJob({ id: 'probe', fn: () => undefined, cron: '* * * * * *' });

    return undefined;
  } catch (error) {
    return `Orbit refuses cron jobs in this build: ${String(error)}`;
  } finally {
    void pool.kill();
  }
}
