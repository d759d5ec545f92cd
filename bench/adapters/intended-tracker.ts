import type { BenchJob, ScheduleSpec } from '../core/bench-job.js';
import { nowMs } from '../measure/clock.js';

const EVERY_SECOND = '* * * * * *';

/**
 * For libraries that do not say which instant a run serves: a per-job function that returns
 * the instant of each successive run. Interval jobs: the add instant plus one period, then
 * the previous instant plus one period, so drift shows as growing lateness. Every-second cron
 * jobs: the earliest whole second not yet fired for. Other cron expressions: NaN (the
 * scenarios that use them count runs only).
 */
export function trackIntended(schedule: ScheduleSpec): () => number {
  if (schedule.type === 'once') {
    const atMs = schedule.atMs;

    return () => atMs;
  }
  if (schedule.type === 'interval') {
    return stepper(schedule.firstAtMs ?? nowMs() + schedule.periodMs, schedule.periodMs);
  }
  if (schedule.expression === EVERY_SECOND) {
    return stepper(Math.floor(nowMs() / 1000) * 1000 + 1000, 1000);
  }

  return () => NaN;
}

function stepper(firstMs: number, stepMs: number): () => number {
  let nextMs = firstMs;

  return () => {
    const intendedMs = nextMs;
    nextMs += stepMs;

    return intendedMs;
  };
}

/** The job's body as a no-argument callback that passes each run its tracked instant. */
export function trackedRun(run: BenchJob['run'], schedule: ScheduleSpec): () => void {
  const nextIntended = trackIntended(schedule);

  return () => void run(nextIntended());
}
