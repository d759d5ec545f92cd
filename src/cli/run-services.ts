import { describeThrown, OrbitError } from '../errors/orbit-error.js';
import type { Logger } from '../logging/logger.js';
import type { Monitoring } from '../monitoring/monitoring.js';
import type { Pool } from '../pool/pool.js';
import { isListableStore, type ListableStore } from '../store/listed-job.js';
import { listenFailure } from '../dashboard/listen.js';
import { isLoopbackHost } from '../dashboard/loopback.js';
import type { ListenAddress } from './listen-address.js';
import { loadOptional } from './load-optional.js';
import { cliInputError } from './parse-cli-args.js';
import { DASHBOARD_TOKEN_VARIABLE } from './run-options.js';

/** Something to close when `orbit run` is over. */
export type Closer = () => Promise<void>;

/** A server `orbit run` started, and the line that says where it is. */
interface Started<T> {
  readonly service: T;
  readonly note: string;
}

/** Prometheus metrics of a pool, served over HTTP. */
export interface ServedMetrics {
  /** Passed to `createPool`, so the metrics see each job's run time. */
  readonly monitoring: Monitoring;
  observe(pool: Pool): void;
}

/** What the dashboard module offers `orbit run`. */
interface DashboardModule {
  startDashboard(options: {
    pools: readonly Pool[];
    host: string;
    port: number;
    token?: string;
    logger: Logger;
    fleet?: ListableStore;
  }): Promise<{ url: string; close(): Promise<void> }>;
}

/**
 * Serves Prometheus metrics at `/metrics`, with the process's own metrics beside
 * Orbit's. prom-client is loaded only now.
 *
 * @throws OrbitError `MODULE_LOAD_FAILED` without prom-client; `INVALID_CONFIG` when the
 * address cannot be listened on.
 */
export async function startMetrics(
  address: ListenAddress,
  closers: Closer[],
): Promise<Started<ServedMetrics>> {
  const [{ PrometheusMetrics }, promClient, { serveMetrics }] = await Promise.all([
    import('../adapters/prometheus/index.js'),
    import('prom-client'),
    import('./metrics-server.js'),
  ]).catch((error: unknown) => {
    const reason = `--metrics needs the prom-client package: ${describeThrown(error)}`;
    throw new OrbitError('MODULE_LOAD_FAILED', reason, { cause: error });
  });

  const registry = new promClient.Registry();
  promClient.collectDefaultMetrics({ register: registry });
  const metrics = new PrometheusMetrics({ registry });
  const server = await listening('--metrics', address, () => serveMetrics(registry, address));
  closers.push(() => server.close());
  const service = { monitoring: metrics, observe: (pool: Pool) => metrics.observe(pool) };
  return { service, note: `metrics at ${server.url}` };
}

/**
 * Starts the web dashboard on `pool`, from the dashboard module of this build. A store
 * that lists its jobs (SQLite, PostgreSQL) may be shared with other processes: the
 * dashboard shows their jobs too.
 *
 * @throws OrbitError `MODULE_LOAD_FAILED` when the build has none; `INVALID_CONFIG` when
 * the address cannot be listened on.
 */
export async function startDashboard(
  address: ListenAddress,
  token: string | undefined,
  pool: Pool,
  store: unknown,
  logger: Logger,
  closers: Closer[],
): Promise<Started<undefined>> {
  const dashboard = (await loadOptional('dashboard')) as Partial<DashboardModule>;
  if (typeof dashboard.startDashboard !== 'function') {
    const reason = 'the dashboard module does not export startDashboard';
    throw new OrbitError('MODULE_LOAD_FAILED', reason);
  }

  const { host, port } = address;
  if (token === undefined && !isLoopbackHost(host)) {
    throw cliInputError(
      'run',
      `--dashboard on ${host} can be reached from other machines and needs a token: ` +
        `set ${DASHBOARD_TOKEN_VARIABLE} (or --dashboard-token) to a secret of 16 ` +
        'characters or more',
    );
  }
  const start = dashboard.startDashboard.bind(dashboard);
  const server = await listening('--dashboard', address, () =>
    start({
      pools: [pool],
      host,
      port,
      ...(token === undefined ? {} : { token }),
      logger: logger.child({ component: 'dashboard' }),
      ...(isListableStore(store) ? { fleet: store } : {}),
    }),
  );
  closers.push(() => server.close());
  return { service: undefined, note: `dashboard at ${server.url}` };
}

/** Starts a server; a port in use or a host that cannot be bound is a bad argument. */
async function listening<T>(
  flag: string,
  address: ListenAddress,
  start: () => Promise<T>,
): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const failure = listenFailure(error);
    if (failure === undefined) throw error;
    const where = `${address.host}:${address.port}`;
    throw cliInputError('run', `${flag} cannot listen on ${where}: ${describeThrown(failure)}`);
  }
}
