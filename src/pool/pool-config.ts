import type { Store } from '../store/store.js';
import type { Duration } from '../time/duration.js';

/** How a pool runs its jobs. Every field is optional. */
export interface PoolConfig {
  /** Name of the pool in metrics and logs; required with a durable store. @default generated */
  id?: string;
  /** Most runs in flight at once in this pool. @default 1000 */
  maxWorkers?: number;
  /** How often a running job's `executionTime` is refreshed in monitoring. @default 100 ms */
  checkInterval?: Duration;
  /** Timeout of runs whose job sets no `timeout`. @default 100 h */
  idleTimeout?: Duration;
  /**
   * Where the state of the jobs is kept. A durable store (`SqliteStore` from
   * `orbit-scheduler/sqlite`, `PostgresStore` from `orbit-scheduler/postgres`) lets jobs
   * go on where they were after a restart; it needs the pool's `id`.
   * @default a new in-memory store
   * @throws `EMPTY_ID` when a durable store is given without an `id`
   */
  store?: Store;
  /**
   * Most worker threads alive at once for the jobs that name a `worker` module. Threads
   * start when first needed and are reused across runs; runs beyond this wait for one.
   * @default the smaller of `maxWorkers` and the machine's available parallelism
   */
  threads?: number;
}
