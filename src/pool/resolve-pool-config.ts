import { availableParallelism } from 'node:os';
import { invalidConfig, isPlainObject, nonEmptyId, refuseUnknownKeys } from '../config/checks.js';
import { OrbitError } from '../errors/orbit-error.js';
import { parsePeriod } from '../time/duration.js';
import type { Store } from '../store/store.js';
import type { PoolConfig } from './pool-config.js';

/** A pool's options, validated and with defaults filled in. */
export interface ResolvedPoolConfig {
  readonly id: string;
  readonly maxWorkers: number;
  readonly checkIntervalMs: number;
  readonly idleTimeoutMs: number;
  /**
   * `undefined` by default: nothing outside the pool could read a store of its own, so the
   * pool's jobs keep their state in memory and no store is called on the hot path.
   */
  readonly store: Store | undefined;
  readonly threads: number;
}

const POOL_KEYS = new Set(['id', 'maxWorkers', 'checkInterval', 'idleTimeout', 'threads', 'store']);
const STORE_METHODS = [
  'register',
  'claim',
  'complete',
  'setStatus',
  'remove',
  'job',
  'history',
  'close',
] as const;

/** @throws OrbitError `EMPTY_ID`, `INVALID_DURATION` or `INVALID_CONFIG` */
export function resolvePoolConfig(
  config: PoolConfig | undefined,
  defaultId: string,
): ResolvedPoolConfig {
  if (config === undefined) config = {};
  if (!isPlainObject(config)) throw invalidConfig('pool config', 'an object', config);
  refuseUnknownKeys(config, POOL_KEYS, 'pool config');

  const {
    id: givenId = defaultId,
    maxWorkers = 1000,
    checkInterval = 100,
    idleTimeout = '100h',
  } = config;
  const store = resolveStore(config.store);
  if (store?.durable === true && config.id === undefined) {
    throw new OrbitError(
      'EMPTY_ID',
      'a pool with a durable store needs an id: the jobs are found again under it',
    );
  }
  const id = nonEmptyId(givenId, 'pool');
  store?.checkId?.(id, 'pool');
  if (!isCount(maxWorkers))
    throw invalidConfig('maxWorkers', 'a whole number, 1 or more', maxWorkers);
  const { threads = Math.min(maxWorkers, availableParallelism()) } = config;
  if (!isCount(threads)) throw invalidConfig('threads', 'a whole number, 1 or more', threads);

  return Object.freeze({
    id,
    maxWorkers,
    checkIntervalMs: parsePeriod(checkInterval, 'checkInterval'),
    idleTimeoutMs: parsePeriod(idleTimeout, 'idleTimeout'),
    threads,
    store,
  });
}

function resolveStore(store: unknown): Store | undefined {
  if (store === undefined) return undefined;
  if (!isPlainObject(store)) throw invalidConfig('store', 'a Store', store);
  for (const method of STORE_METHODS) {
    if (typeof store[method] !== 'function') {
      throw invalidConfig(`store.${method}`, 'a function', store[method]);
    }
  }
  if (typeof store.durable !== 'boolean') {
    throw invalidConfig('store.durable', 'a boolean', store.durable);
  }
  return store as unknown as Store;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}
