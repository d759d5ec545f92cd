import type { Pool } from '../../src/index.js';
import { POOL_EVENT_NAMES, type PoolEventName, type PoolEvents } from '../../src/index.js';

/** One event as a recorder saw it. */
export interface Recorded<K extends PoolEventName = PoolEventName> {
  name: K;
  event: PoolEvents[K];
}

/** Every event of a pool, in order, with helpers to pick them out. */
export interface EventRecorder {
  readonly all: Recorded[];
  /** The names of the events seen, in order; `jobId` narrows them to one job. */
  names(jobId?: string): PoolEventName[];
  /** The payloads of one event, in order. */
  of<K extends PoolEventName>(name: K): PoolEvents[K][];
}

/** Subscribes to every event of `pool` and records them. */
export function recordEvents(pool: Pool): EventRecorder {
  const all: Recorded[] = [];
  for (const name of POOL_EVENT_NAMES) {
    pool.on(name, (event: PoolEvents[typeof name]) => all.push({ name, event }));
  }

  return {
    all,
    names: (jobId) =>
      all
        .filter(({ event }) => jobId === undefined || ('jobId' in event && event.jobId === jobId))
        .map(({ name }) => name),
    of: <K extends PoolEventName>(name: K) =>
      all.filter((entry) => entry.name === name).map(({ event }) => event as PoolEvents[K]),
  };
}
