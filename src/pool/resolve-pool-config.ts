import { invalidConfig, isPlainObject, refuseUnknownKeys } from '../config/checks.js';
import { OrbitError } from '../errors/orbit-error.js';
import { parseDuration } from '../time/duration.js';
import type { PoolConfig } from './pool-config.js';

/** A pool's options, validated and with defaults filled in. */
export interface ResolvedPoolConfig {
  readonly id: string;
  readonly maxWorkers: number;
  readonly checkIntervalMs: number;
  readonly idleTimeoutMs: number;
}

const POOL_KEYS = new Set(['id', 'maxWorkers', 'checkInterval', 'idleTimeout']);

/** @throws OrbitError `EMPTY_ID`, `INVALID_DURATION` or `INVALID_CONFIG` */
export function resolvePoolConfig(
  config: PoolConfig | undefined,
  defaultId: string,
): ResolvedPoolConfig {
  if (config === undefined) config = {};
  if (!isPlainObject(config)) throw invalidConfig('pool config', 'an object', config);
  refuseUnknownKeys(config, POOL_KEYS, 'pool config');

  const { id = defaultId, maxWorkers = 1000, checkInterval = 100, idleTimeout = '100h' } = config;
  if (typeof id !== 'string' || id.trim() === '') {
    throw new OrbitError('EMPTY_ID', `pool id must be a non-empty string; got ${String(id)}`);
  }
  if (typeof maxWorkers !== 'number' || !Number.isSafeInteger(maxWorkers) || maxWorkers < 1) {
    throw invalidConfig('maxWorkers', 'a whole number, 1 or more', maxWorkers);
  }

  return Object.freeze({
    id,
    maxWorkers,
    checkIntervalMs: positive(checkInterval, 'checkInterval'),
    idleTimeoutMs: positive(idleTimeout, 'idleTimeout'),
  });
}

function positive(value: unknown, option: string): number {
  const ms = parseDuration(value, option);
  if (ms === 0) throw new OrbitError('INVALID_DURATION', `${option} must be more than 0; got 0`);
  return ms;
}
