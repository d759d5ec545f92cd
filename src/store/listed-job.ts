import { invalidConfig, isPlainObject, refuseUnknownKeys } from '../config/checks.js';
import type { MaybePromise, StoredJob } from './store.js';

/** One job as a durable store lists it: its stored state and the pool it belongs to. */
export interface ListedJob extends StoredJob {
  readonly poolId: string;
}

/** Which jobs {@link ListableStore.listJobs} lists. */
export interface ListJobsFilter {
  /** Only the jobs of this pool. @default every pool */
  readonly poolId?: string | undefined;
}

/**
 * A store that can list every job it holds, across the pools and processes that share
 * it: what `orbit list` prints and what the dashboard shows of pools run elsewhere.
 */
export interface ListableStore {
  /** The jobs, ordered by pool id, then job id. */
  listJobs(filter?: ListJobsFilter): MaybePromise<readonly ListedJob[]>;
}

/** Whether `store` offers {@link ListableStore.listJobs}. */
export function isListableStore(store: unknown): store is ListableStore {
  return typeof (store as Partial<ListableStore> | undefined)?.listJobs === 'function';
}

const FILTER_KEYS: ReadonlySet<string> = new Set(['poolId']);

/**
 * Checks a `listJobs` filter where it enters.
 *
 * @throws OrbitError `INVALID_CONFIG` for a filter that is not an object, an unknown key,
 * or a `poolId` that is not a string.
 */
export function checkListJobsFilter(filter: unknown): ListJobsFilter {
  if (filter === undefined) return {};
  if (!isPlainObject(filter)) throw invalidConfig('listJobs filter', 'an object', filter);
  refuseUnknownKeys(filter, FILTER_KEYS, 'listJobs');

  const { poolId } = filter;
  if (poolId !== undefined && typeof poolId !== 'string') {
    throw invalidConfig('listJobs poolId', 'a string', poolId);
  }
  return poolId === undefined ? {} : { poolId };
}
