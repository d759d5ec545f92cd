import type { Pool } from '../pool/pool.js';

/**
 * What the dashboard uses of a pool: its id, its state, its events and its control
 * calls, nothing more. So it works the same whatever store the pool keeps its jobs in.
 */
export type DashboardPool = Pick<
  Pool,
  'id' | 'isRunning' | 'on' | 'off' | 'getMetrics' | 'pauseJob' | 'resumeJob' | 'stopJob' | 'runNow'
>;

const POOL_METHODS = ['on', 'off', 'getMetrics', 'pauseJob', 'resumeJob', 'stopJob', 'runNow'];

/**
 * Whether `value` looks like a pool. The check is by shape, not by class, so pools
 * created through the other module format (ESM or CommonJS) of this package pass too.
 */
export function isDashboardPool(value: unknown): value is DashboardPool {
  if (typeof value !== 'object' || value === null) return false;

  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.id === 'string' &&
    POOL_METHODS.every((method) => typeof candidate[method] === 'function')
  );
}
