import { createHash } from 'node:crypto';
import type { ResolvedJobConfig } from '../job/resolve-job-config.js';

/**
 * A short hash of what decides when a job runs: its interval or cron expression and zone,
 * and its window. A store compares it with the stored one to tell a redeploy (same hash:
 * keep the job's position) from a new schedule (start afresh).
 */
export function scheduleHash(config: ResolvedJobConfig): string {
  const { schedule, startAtMs, endAtMs } = config;
  const fields =
    schedule.kind === 'interval'
      ? ['interval', schedule.periodMs]
      : ['cron', schedule.cron.expression, schedule.cron.timezone];
  const text = JSON.stringify([...fields, startAtMs ?? null, endAtMs ?? null]);
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
