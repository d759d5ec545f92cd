import type { ResolvedJobConfig } from '../../job/resolve-job-config.js';

/** What the PostgreSQL store keeps of a job's definition: its schedule and policies. */
export type StoredJobDefinition = Pick<
  ResolvedJobConfig,
  'id' | 'schedule' | 'startAtMs' | 'endAtMs' | 'misfire' | 'retry'
>;

/**
 * A text that changes exactly when the job's timing changes: the schedule and its window.
 * Definition sync compares it with the stored one to tell a redeploy of the same job
 * (keep its due instant) from a new schedule (take the new one).
 */
export function scheduleKey(definition: StoredJobDefinition): string {
  const { schedule, startAtMs, endAtMs } = definition;
  const timing =
    schedule.kind === 'interval'
      ? { every: schedule.periodMs }
      : { cron: schedule.cron.expression, timezone: schedule.cron.timezone };
  return JSON.stringify({ ...timing, startAt: startAtMs ?? null, endAt: endAtMs ?? null });
}
