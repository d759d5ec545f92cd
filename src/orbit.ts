import { invalidConfig, isPlainObject, refuseUnknownKeys } from './config/checks.js';
import { OrbitError } from './errors/orbit-error.js';
import type { JobConfig } from './job/job-config.js';
import { guardLogger, resolveLogger, type Logger } from './logging/logger.js';
import type { Monitoring } from './monitoring/monitoring.js';
import { Pool } from './pool/pool.js';
import type { PoolConfig } from './pool/pool-config.js';
import { resolvePoolConfig } from './pool/resolve-pool-config.js';
import { systemClock, type Clock } from './time/clock.js';

/** Options of {@link Orbit}. */
export interface OrbitOptions {
  /** When it aborts, every pool is killed. */
  signal?: AbortSignal;
  /** Where Orbit reads time and arms timers. @default the system clock */
  clock?: Clock;
  /** Where Orbit reports what it does. @default silent */
  logger?: Logger;
}

const ORBIT_KEYS = new Set(['signal', 'clock', 'logger']);

/**
 * The entry point: creates pools and adds jobs to them.
 *
 * @example
 * const orbit = new Orbit();
 * const pool = orbit.createPool({ maxWorkers: 10 });
 * orbit.addJob(pool, { id: 'report', fn: buildReport, cron: '0 2 * * *' });
 * pool.run();
 */
export class Orbit {
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #signal: AbortSignal | undefined;
  readonly #pools = new Set<Pool>();
  #poolCount = 0;

  /** @throws OrbitError `INVALID_CONFIG` for options of the wrong type. */
  constructor(options: OrbitOptions = {}) {
    if (!isPlainObject(options)) throw invalidConfig('Orbit options', 'an object', options);
    refuseUnknownKeys(options, ORBIT_KEYS, 'Orbit options');

    this.#clock = resolveClock(options.clock);
    this.#logger = guardLogger(resolveLogger(options.logger, 'logger'));
    this.#signal = resolveSignal(options.signal);
    this.#signal?.addEventListener('abort', () => this.#killAll(), { once: true });
  }

  /**
   * Creates a pool. Without `monitoring`, the built-in in-memory monitoring is used.
   *
   * @throws OrbitError `POOL_SHUTDOWN` when the Orbit's signal has aborted; `ID_EXISTS`
   * when a pool of this Orbit that was not killed has the id; `EMPTY_ID`,
   * `INVALID_DURATION` or `INVALID_CONFIG` for bad options.
   */
  createPool(config?: PoolConfig, monitoring?: Monitoring): Pool {
    if (this.#signal?.aborted === true) {
      throw new OrbitError('POOL_SHUTDOWN', 'the Orbit signal has aborted; no pool can be created');
    }
    const resolved = resolvePoolConfig(config, `pool-${++this.#poolCount}`);
    for (const live of this.#pools) {
      if (live.id === resolved.id) {
        throw new OrbitError(
          'ID_EXISTS',
          `a pool with id '${resolved.id}' is already in this Orbit; kill it first or give another id`,
        );
      }
    }
    const pool = new Pool(resolved, {
      clock: this.#clock,
      logger: this.#logger,
      monitoring: resolveMonitoring(monitoring),
    });
    this.#pools.add(pool);
    // A killed pool frees its id.
    pool.once('pool:killed', () => this.#pools.delete(pool));
    return pool;
  }

  /** The same as `pool.addJob(config)`. */
  addJob(pool: Pool, config: JobConfig): void {
    if (!(pool instanceof Pool))
      throw invalidConfig('addJob pool', 'a Pool from createPool()', pool);
    pool.addJob(config);
  }

  #killAll(): void {
    for (const pool of this.#pools) {
      pool.kill().catch((error: unknown) => {
        this.#logger.error('a pool failed to shut down', { pool: pool.id, error });
      });
    }
  }
}

function resolveClock(clock: unknown): Clock {
  if (clock === undefined) return systemClock;
  const candidate = clock as Partial<Clock>;
  const methods = ['now', 'monotonic', 'setTimeout', 'clearTimeout'] as const;
  if (!isPlainObject(clock) && typeof clock !== 'object')
    throw invalidConfig('clock', 'a Clock', clock);
  for (const method of methods) {
    if (typeof candidate[method] !== 'function')
      throw invalidConfig(`clock.${method}`, 'a function', candidate[method]);
  }
  return clock as Clock;
}

function resolveSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  if (!(signal instanceof AbortSignal)) throw invalidConfig('signal', 'an AbortSignal', signal);
  return signal;
}

function resolveMonitoring(monitoring: unknown): Monitoring | undefined {
  if (monitoring === undefined || monitoring === null) return undefined;
  const candidate = monitoring as Partial<Monitoring>;
  if (typeof candidate.saveMetrics !== 'function' || typeof candidate.getMetrics !== 'function') {
    throw invalidConfig('monitoring', 'an object with saveMetrics and getMetrics', monitoring);
  }
  return monitoring as Monitoring;
}
