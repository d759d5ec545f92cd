import { OrbitError } from '../errors/orbit-error.js';
import type { CronSchedule } from './cron-schedule.js';

/** Compiles a cron expression; the engine arrives in its own module set. */
export function compileCron(expression: string, _timezone?: string): CronSchedule {
  throw new OrbitError('INVALID_CRON', `cron expressions are not available yet: '${expression}'`);
}
