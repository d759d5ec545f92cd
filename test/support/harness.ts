import {
  Orbit,
  type JobConfig,
  type JobState,
  type Monitoring,
  type PoolConfig,
} from '../../src/index.js';
import { createFakeClock, type FakeClock } from './fake-clock.js';

/** A pool as `Orbit.createPool` returns it. */
export type Pool = ReturnType<Orbit['createPool']>;

/** A fake clock, an Orbit on it and one pool. */
export interface Harness {
  clock: FakeClock;
  orbit: Orbit;
  pool: Pool;
  /** The instant the clock started at (epoch ms). */
  t0: number;
}

/** Options of {@link createHarness}. */
export interface HarnessOptions {
  pool?: PoolConfig;
  monitoring?: Monitoring;
  startMs?: number;
  signal?: AbortSignal;
}

/** Builds a fake clock, an Orbit that reads it, and a pool that is not yet running. */
export function createHarness(options: HarnessOptions = {}): Harness {
  const clock = createFakeClock(options.startMs);
  const orbit = new Orbit({ clock, ...(options.signal ? { signal: options.signal } : {}) });
  const pool = orbit.createPool(options.pool, options.monitoring);

  return { clock, orbit, pool, t0: clock.now() };
}

/** The state of one job as `getMetrics` shows it. */
export function stateOf(pool: Pool, jobId: string): JobState {
  const metrics: Record<string, unknown> = pool.getMetrics();
  const state = metrics[jobId];
  if (state === undefined) throw new Error(`getMetrics() has no state for job '${jobId}'`);

  return state as JobState;
}

/** A job config with an interval, for tests that only care about other fields. */
export function intervalJob(
  id: string,
  fn: JobConfig['fn'],
  time: number | string,
  extra: Partial<JobConfig> = {},
): JobConfig {
  return { id, fn, interval: { time }, ...extra };
}
