import { describeThrown, OrbitError } from '../errors/orbit-error.js';
import type { JobState, Monitoring } from './monitoring.js';

/**
 * What a custom monitoring's `getMetrics()` returns, taken as it is. What it throws
 * reaches the caller as an `OrbitError`, like every other failure Orbit reports.
 *
 * @throws OrbitError `MONITORING_FAILED`, with what `getMetrics()` threw as `cause`.
 */
export function readMetrics(monitoring: Monitoring): Record<string, JobState> {
  try {
    return monitoring.getMetrics() as Record<string, JobState>;
  } catch (error) {
    throw new OrbitError(
      'MONITORING_FAILED',
      `the pool's monitoring failed in getMetrics(): ${describeThrown(error)}`,
      { cause: error },
    );
  }
}
