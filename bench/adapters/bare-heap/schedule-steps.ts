import type { ScheduleSpec } from '../../core/bench-job.js';

/** The first due instant of a schedule and the fixed step to the next ones. */
export interface ScheduleSteps {
  firstMs: number;
  /** Infinity for a one-off. */
  stepMs: number;
}

const HOUR_MS = 3_600_000;

/**
 * The floor only needs the schedules the scenarios use: intervals, one-offs, every second
 * (`* * * * * *`) and once an hour (`S M * * * *`). Anything else is refused.
 */
export function scheduleSteps(schedule: ScheduleSpec, nowMs: number): ScheduleSteps {
  if (schedule.type === 'once') return { firstMs: schedule.atMs, stepMs: Infinity };
  if (schedule.type === 'interval') {
    return { firstMs: schedule.firstAtMs ?? nowMs + schedule.periodMs, stepMs: schedule.periodMs };
  }
  const fields = schedule.expression.split(' ');
  if (schedule.expression === '* * * * * *') {
    return { firstMs: Math.floor(nowMs / 1000) * 1000 + 1000, stepMs: 1000 };
  }
  if (fields.length === 6 && fields.slice(2).every((field) => field === '*')) {
    return { firstMs: nextHourly(Number(fields[0]), Number(fields[1]), nowMs), stepMs: HOUR_MS };
  }
  throw new Error(`the bare heap does not parse the cron expression "${schedule.expression}"`);
}

function nextHourly(second: number, minute: number, nowMs: number): number {
  const candidate = new Date(nowMs);
  candidate.setMinutes(minute, second, 0);
  let firstMs = candidate.getTime();
  while (firstMs <= nowMs) firstMs += HOUR_MS;

  return firstMs;
}
