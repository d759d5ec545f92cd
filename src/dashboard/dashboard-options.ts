import { invalidConfig, isPlainObject, refuseUnknownKeys } from '../config/checks.js';
import { OrbitError } from '../errors/orbit-error.js';
import { guardLogger, resolveLogger, type Logger } from '../logging/logger.js';
import { parseDuration, type Duration } from '../time/duration.js';
import { isDashboardPool, type DashboardPool } from './dashboard-pool.js';
import { isFleetStore, type FleetStore } from './fleet-watch.js';
import { isLoopbackHost } from './loopback.js';

/** Options of {@link startDashboard}. */
export interface DashboardOptions {
  /** The pools to show and control; their ids must differ. */
  pools: readonly DashboardPool[];
  /**
   * The address to listen on. Any address but a loopback one (`127.0.0.1`, `::1`,
   * `localhost`) needs a `token`. @default '127.0.0.1'
   */
  host?: string;
  /** The TCP port; `0` picks a free one (read it from the returned `url`). */
  port: number;
  /**
   * A shared secret of at least 16 characters. When set, every API and event-stream
   * request must carry `Authorization: Bearer <token>`; the page asks for it once per tab.
   */
  token?: string;
  /** How long a job has to reach a checkpoint after the pause button. @default '10s' */
  pauseTimeout?: Duration;
  /** Where the dashboard reports its address and failed requests. Silent by default. */
  logger?: Logger;
  /**
   * A store that many processes share (`PostgresStore`): the dashboard also shows every
   * job it holds that no pool of this process has, from the store, read every
   * `fleetRefresh`: the jobs of the whole fleet, whichever process runs them. Those jobs
   * have no buttons: control calls reach the pools of this process only.
   */
  fleet?: FleetStore;
  /** How often the `fleet` store is read. @default '2s' */
  fleetRefresh?: Duration;
}

/** {@link DashboardOptions} once checked. */
export interface ResolvedDashboardOptions {
  readonly pools: ReadonlyMap<string, DashboardPool>;
  readonly host: string;
  readonly port: number;
  readonly token: string | undefined;
  /** Whether the server listens on the loopback interface only. */
  readonly onLoopback: boolean;
  readonly pauseTimeoutMs: number;
  readonly logger: Logger;
  readonly fleet: { readonly store: FleetStore; readonly refreshMs: number } | undefined;
}

const OPTION_KEYS = new Set([
  'pools',
  'host',
  'port',
  'token',
  'pauseTimeout',
  'logger',
  'fleet',
  'fleetRefresh',
]);
const MIN_TOKEN_LENGTH = 16;

/**
 * Checks the options once, where they enter.
 *
 * @throws OrbitError `INVALID_CONFIG` for a wrong option, and for a host other than a
 * loopback address without a token; `INVALID_DURATION` for a bad `pauseTimeout`.
 */
export function resolveDashboardOptions(options: unknown): ResolvedDashboardOptions {
  if (!isPlainObject(options)) throw invalidConfig('dashboard options', 'an object', options);
  refuseUnknownKeys(options, OPTION_KEYS, 'the dashboard');

  const host = checkedHost(options.host ?? '127.0.0.1');
  const token = checkedToken(options.token);
  const onLoopback = isLoopbackHost(host);
  if (!onLoopback && token === undefined) {
    throw new OrbitError(
      'INVALID_CONFIG',
      `the dashboard listens on '${host}', which other machines can reach: set token ` +
        `(a secret of at least ${MIN_TOKEN_LENGTH} characters) to guard it`,
    );
  }

  const pools = checkedPools(options.pools);
  const fleet = checkedFleet(options.fleet, options.fleetRefresh);
  if (pools.size === 0 && fleet === undefined) {
    throw invalidConfig('dashboard pools', 'a non-empty array of pools (or set fleet)', []);
  }

  return {
    pools,
    host,
    port: checkedPort(options.port),
    token,
    onLoopback,
    pauseTimeoutMs: parseDuration(options.pauseTimeout ?? 10_000, 'dashboard pauseTimeout'),
    logger: guardLogger(resolveLogger(options.logger, 'dashboard logger')),
    fleet,
  };
}

function checkedFleet(store: unknown, refresh: unknown): ResolvedDashboardOptions['fleet'] {
  if (store === undefined) {
    if (refresh !== undefined)
      throw invalidConfig('dashboard fleetRefresh', 'set with fleet', refresh);
    return undefined;
  }
  if (!isFleetStore(store)) {
    throw invalidConfig('dashboard fleet', 'a store with listJobs() and history()', store);
  }
  const refreshMs = parseDuration(refresh ?? 2_000, 'dashboard fleetRefresh');
  if (refreshMs < 100) throw invalidConfig('dashboard fleetRefresh', 'at least 100 ms', refreshMs);
  return { store, refreshMs };
}

function checkedPools(value: unknown): ReadonlyMap<string, DashboardPool> {
  if (!Array.isArray(value)) {
    throw invalidConfig('dashboard pools', 'an array of pools', value);
  }

  const pools = new Map<string, DashboardPool>();
  for (const pool of value as unknown[]) {
    if (!isDashboardPool(pool)) throw invalidConfig('each of dashboard pools', 'a Pool', pool);
    if (pools.has(pool.id)) {
      throw new OrbitError('INVALID_CONFIG', `dashboard pools has two pools with id '${pool.id}'`);
    }
    pools.set(pool.id, pool);
  }
  return pools;
}

function checkedHost(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidConfig('dashboard host', 'a host name or address', value);
  }
  return value.trim().replace(/^\[(.*)\]$/, '$1');
}

function checkedPort(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65_535) {
    throw invalidConfig('dashboard port', 'an integer from 0 to 65535', value);
  }
  return value;
}

function checkedToken(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  // Printable ASCII only: the token travels in an HTTP header. The message never shows
  // the value given: it is a secret, and error messages end up in logs.
  if (typeof value !== 'string' || !/^[\x21-\x7e]+$/.test(value)) {
    throw new OrbitError(
      'INVALID_CONFIG',
      'dashboard token must be a string of printable ASCII characters, without spaces',
    );
  }
  if (value.length < MIN_TOKEN_LENGTH) {
    throw new OrbitError(
      'INVALID_CONFIG',
      `dashboard token must have at least ${MIN_TOKEN_LENGTH} characters; got ${value.length}`,
    );
  }
  return value;
}
