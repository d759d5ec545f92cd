import { describeThrown, OrbitError } from '../../errors/orbit-error.js';
import type { Logger } from '../../logging/logger.js';
import type { Monitoring } from '../../monitoring/monitoring.js';
import { Orbit } from '../../orbit.js';
import type { Pool } from '../../pool/pool.js';
import type { PoolConfig } from '../../pool/pool-config.js';
import { parseDuration } from '../../time/duration.js';
import { usageError, type CliIo, type Command } from '../command.js';
import { jsonLogger, LOG_LEVELS, type LogLevel } from '../json-logger.js';
import { parseListenAddress, type ListenAddress } from '../listen-address.js';
import { JobStatus } from '../../job/job-status.js';
import { StatusView } from '../status-view.js';
import { StopSignals } from '../stop-signals.js';
import { loadJobsModule } from '../load-jobs-module.js';
import { loadOptional } from '../load-optional.js';
import { defineCommand } from '../define-command.js';
import { stringFlag, type ParsedFlags } from '../parse-flags.js';
import { stopGracefully } from '../graceful-stop.js';
import { describeStore, openStore, parseStoreUrl, type StoreUrl } from '../store-url.js';

const NAME = 'run';

/** How long `kill` waits for runs aborted after the grace period to settle. */
const KILL_TIMEOUT_MS = 5_000;

const HELP = `Usage: orbit run <jobs-module> [options]

Runs the jobs a module exports, in one pool, until SIGINT or SIGTERM, or until
every job has ended.

The module's default export is an array of job configs, or { pool, jobs } with
a pool config. TypeScript modules are loaded through tsx (install it).

Options:
  --store URL               where the jobs live: memory (default), sqlite:PATH,
                            or postgres://USER@HOST/DB[?schema=NAME]
  --metrics [HOST:]PORT     serve Prometheus metrics at /metrics (needs
                            prom-client); HOST defaults to 127.0.0.1
  --dashboard [HOST:]PORT   serve the web dashboard (when this build has it)
  --grace DURATION          on a stop signal, how long runs in progress may
                            take to finish before they are aborted (default 30s)
  --format table|json       a live status table, or JSON log lines; default:
                            table on a terminal, json otherwise
  --log-level LEVEL         debug, info, warn or error; default debug for json
                            (every run and state change), warn for the table
  -h, --help                show this help

A first SIGINT or SIGTERM starts no new run, lets the runs in progress finish
within the grace period, aborts the rest, and exits with 0. A second one aborts
at once.`;

const FLAGS = {
  store: { type: 'string' },
  metrics: { type: 'string' },
  dashboard: { type: 'string' },
  grace: { type: 'string' },
  format: { type: 'string' },
  'log-level': { type: 'string' },
} as const;

/** The options of one `orbit run`, checked. */
interface RunOptions {
  readonly modulePath: string;
  readonly store: StoreUrl;
  readonly metrics: ListenAddress | undefined;
  readonly dashboard: ListenAddress | undefined;
  readonly graceMs: number;
  readonly format: 'table' | 'json';
  readonly logLevel: LogLevel;
}

/** What the dashboard module offers the CLI. */
interface DashboardModule {
  startDashboard(options: {
    pools: readonly Pool[];
    host: string;
    port: number;
    logger: Logger;
  }): Promise<{ url: string; close(): Promise<void> }>;
}

/** Things to close when the run is over, last opened first. */
type Closer = () => Promise<void>;

/** `orbit run`: runs a jobs module in a pool until stopped. */
export const runCommand: Command = defineCommand({
  name: NAME,
  summary: 'run the jobs a module exports, with live status, metrics and a graceful stop',
  help: HELP,
  flags: FLAGS,
  run: (flags, io) => runJobs(readOptions(flags, io), io),
});

function readOptions(flags: ParsedFlags, io: CliIo): RunOptions {
  const [modulePath, ...extra] = flags.positionals;
  if (modulePath === undefined) throw usageError(NAME, 'give the path of a jobs module');
  if (extra.length > 0)
    throw usageError(NAME, `one jobs module only; also got '${extra.join(' ')}'`);

  const format = readFormat(stringFlag(flags, 'format'), io);
  const address = (flag: 'metrics' | 'dashboard') => {
    const text = stringFlag(flags, flag);
    return text === undefined ? undefined : parseListenAddress(NAME, `--${flag}`, text);
  };
  return {
    modulePath,
    store: parseStoreUrl(NAME, stringFlag(flags, 'store')),
    metrics: address('metrics'),
    dashboard: address('dashboard'),
    graceMs: readGrace(stringFlag(flags, 'grace')),
    format,
    logLevel: readLogLevel(stringFlag(flags, 'log-level'), format),
  };
}

function readFormat(text: string | undefined, io: CliIo): 'table' | 'json' {
  if (text === undefined) return io.stdout.isTTY === true ? 'table' : 'json';
  if (text === 'table' || text === 'json') return text;
  throw usageError(NAME, `--format must be table or json; got '${text}'`);
}

function readGrace(text: string | undefined): number {
  if (text === undefined) return 30_000;
  try {
    return parseDuration(text, '--grace');
  } catch (error) {
    throw usageError(NAME, describeThrown(error));
  }
}

function readLogLevel(text: string | undefined, format: 'table' | 'json'): LogLevel {
  if (text === undefined) return format === 'json' ? 'debug' : 'warn';
  if ((LOG_LEVELS as readonly string[]).includes(text)) return text as LogLevel;
  throw usageError(NAME, `--log-level must be one of ${LOG_LEVELS.join(', ')}; got '${text}'`);
}

async function runJobs(options: RunOptions, io: CliIo): Promise<number> {
  const jobsModule = await loadJobsModule(options.modulePath);
  const signals = new StopSignals(io.process);
  const closers: Closer[] = [];
  const table = options.format === 'table' ? new StatusView(io) : undefined;
  const logger = jsonLogger((line) => {
    if (table === undefined) io.stdout.write(`${line}\n`);
    else table.note(line);
  }, options.logLevel);

  try {
    const { pool, notes } = await startPool(options, jobsModule, logger, closers);
    table?.show(pool, describeStore(options.store), notes);
    logger.info('orbit running', {
      pool: pool.id,
      jobs: jobsModule.jobs.length,
      store: describeStore(options.store),
      notes,
    });

    const signal = await Promise.race([signals.first, everyJobEnded(pool)]);
    if (signal !== undefined) {
      logger.info('stopping: no new runs; runs in progress may finish', {
        signal,
        graceMs: options.graceMs,
      });
    }
    const outcome = await stopGracefully(pool, {
      graceMs: options.graceMs,
      killTimeoutMs: KILL_TIMEOUT_MS,
      hurry: signals.hurry,
    });
    logger.info('orbit stopped', { pool: pool.id, ...outcome });
    return 0;
  } finally {
    signals.dispose();
    table?.stop();
    for (const close of closers.reverse()) await close();
  }
}

/** Creates the pool with its store and metrics, adds the jobs, starts the servers, runs. */
async function startPool(
  options: RunOptions,
  jobsModule: Awaited<ReturnType<typeof loadJobsModule>>,
  logger: Logger,
  closers: Closer[],
): Promise<{ pool: Pool; notes: string[] }> {
  const notes: string[] = [];
  const store = await openStore(options.store);
  if (store !== undefined) closers.push(() => closeStore(store));

  const metrics =
    options.metrics === undefined ? undefined : await startMetrics(options.metrics, closers, notes);
  const poolConfig = {
    id: 'orbit',
    ...jobsModule.pool,
    ...(store === undefined ? {} : { store }),
  } as PoolConfig;
  const pool = new Orbit({ logger }).createPool(poolConfig, metrics?.monitoring);
  closers.push(() => pool.kill({ timeout: KILL_TIMEOUT_MS }));
  metrics?.observe(pool);

  for (const job of jobsModule.jobs) pool.addJob(job);
  if (options.dashboard !== undefined)
    await startDashboard(options.dashboard, pool, logger, closers, notes);
  pool.run();
  return { pool, notes };
}

async function startMetrics(
  address: ListenAddress,
  closers: Closer[],
  notes: string[],
): Promise<{ monitoring: Monitoring; observe(pool: Pool): void }> {
  const [{ PrometheusMetrics }, promClient, { serveMetrics }] = await Promise.all([
    import('../../adapters/prometheus/index.js'),
    import('prom-client'),
    import('../metrics-server.js'),
  ]).catch((error: unknown) => {
    throw new OrbitError(
      'MODULE_LOAD_FAILED',
      `--metrics needs the prom-client package: ${describeThrown(error)}`,
      { cause: error },
    );
  });

  const registry = new promClient.Registry();
  promClient.collectDefaultMetrics({ register: registry });
  const metrics = new PrometheusMetrics({ registry });
  const server = await listening('--metrics', address, () => serveMetrics(registry, address));
  closers.push(() => server.close());
  notes.push(`metrics at ${server.url}`);
  return { monitoring: metrics, observe: (pool) => metrics.observe(pool) };
}

async function startDashboard(
  address: ListenAddress,
  pool: Pool,
  logger: Logger,
  closers: Closer[],
  notes: string[],
): Promise<void> {
  const dashboard = (await loadOptional('dashboard')) as Partial<DashboardModule>;
  if (typeof dashboard.startDashboard !== 'function') {
    throw new OrbitError(
      'MODULE_LOAD_FAILED',
      'the dashboard module does not export startDashboard',
    );
  }
  const start = dashboard.startDashboard.bind(dashboard);
  const server = await listening('--dashboard', address, () =>
    start({
      pools: [pool],
      host: address.host,
      port: address.port,
      logger: logger.child({ component: 'dashboard' }),
    }),
  );
  closers.push(() => server.close());
  notes.push(`dashboard at ${server.url}`);
}

/** Starts a server; a port in use or a host that cannot be bound is a usage error. */
async function listening<T>(
  flag: string,
  address: ListenAddress,
  start: () => Promise<T>,
): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (error instanceof OrbitError) throw error;
    throw usageError(
      NAME,
      `${flag} cannot listen on ${address.host}:${address.port}: ${describeThrown(error)}`,
    );
  }
}

async function closeStore(store: unknown): Promise<void> {
  const close = (store as { close?: unknown }).close;
  if (typeof close === 'function') await (close as () => unknown).call(store);
}

/** Resolves (to `undefined`, no signal) once every job of the pool has ended. */
function everyJobEnded(pool: Pool): Promise<undefined> {
  return new Promise((resolve) => {
    const check = () => {
      const states = Object.values(pool.getMetrics());
      if (states.every((state) => state.status === JobStatus.Ended)) resolve(undefined);
    };
    pool.on('job:ended', check);
    check();
  });
}
