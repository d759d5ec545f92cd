import type { Logger } from '../../logging/logger.js';
import { Orbit } from '../../orbit.js';
import type { Pool } from '../../pool/pool.js';
import type { PoolConfig } from '../../pool/pool-config.js';
import type { CliCommand, CliOutput } from '../cli-command.js';
import { everyJobEnded } from '../ended-jobs.js';
import { stopGracefully } from '../graceful-stop.js';
import { jsonLogger } from '../json-logger.js';
import { loadJobsModule, type JobsModule } from '../load-jobs-module.js';
import { readRunOptions, type RunOptions } from '../run-options.js';
import { startDashboard, startMetrics, type Closer } from '../run-services.js';
import { StatusView } from '../status-view.js';
import { StopSignals } from '../stop-signals.js';
import { checkStoreReachable } from '../store-probe.js';
import { closeStore, describeStore, openStore } from '../store-url.js';

/** How long `kill` waits for runs aborted after the grace period to settle. */
const KILL_TIMEOUT_MS = 5_000;

const HELP = `Usage: orbit run <jobs-module> [options]

Runs the jobs a module exports, in one pool, until SIGINT or SIGTERM, or until
every job has ended.

The module exports its jobs as its default export: an array of job configs, or
{ pool, jobs } with a pool config. A module with no default export may export
them as 'jobs' (an array) instead. A module that exports no job is refused.
TypeScript modules are loaded through tsx (install it).

The store is checked at the start: a store that cannot be reached stops orbit run
with STORE_UNAVAILABLE. Once running, a store that goes away is retried.

Options:
  --store URL               where the jobs live: memory (default), sqlite:PATH,
                            or postgres://USER@HOST/DB[?schema=NAME]
  --metrics [HOST:]PORT     serve Prometheus metrics at /metrics (needs
                            prom-client); HOST defaults to 127.0.0.1
  --dashboard [HOST:]PORT   serve the web dashboard; on SQLite or PostgreSQL it
                            shows the jobs of every process that shares the store.
                            A HOST other than loopback needs a token
  --dashboard-token TOKEN   the dashboard's token (16 characters or more); better
                            given as ORBIT_DASHBOARD_TOKEN, which other users
                            cannot read in the process list
  --grace DURATION          on a stop signal, how long runs in progress may
                            take to finish before they are aborted (default 30s)
  --format table|json       a live status table, or JSON log lines; default:
                            table on a terminal, json otherwise
  --log-level LEVEL         debug, info, warn or error; default debug for json
                            (every run and state change), warn for the table
  -h, --help                show this help

A first SIGINT or SIGTERM starts no new run, lets the runs in progress finish
within the grace period, aborts the rest, and exits with 0. A second one aborts
at once.

If standard output closes (its reader has gone, as in 'orbit run jobs.ts | head'),
the jobs go on: losing the log is no reason to stop them. orbit run says so once
on standard error, prints nothing more, and runs until stopped as above.`;

const OUTPUT_CLOSED_NOTE =
  'orbit: standard output is closed; the jobs go on without printing. ' +
  'Stop them with SIGINT or SIGTERM.';

/** `orbit run`: runs a jobs module in a pool until stopped. */
export const runCommand: CliCommand = {
  name: 'run',
  summary: 'Run the jobs a module exports, with live status, metrics and a graceful stop',
  help: HELP,
  async run(args, output) {
    const options = readRunOptions(args, output);
    return runJobs(options, await loadJobsModule(options.modulePath), output);
  },
};

async function runJobs(options: RunOptions, jobs: JobsModule, output: CliOutput): Promise<number> {
  const signals = new StopSignals(output.signals ?? process);
  const closers: Closer[] = [];
  const table = options.format === 'table' ? new StatusView(output) : undefined;
  // A start that fails prints its one error line only, not the pool's end.
  let isStarting = true;
  let failedToStart = false;
  const logger = jsonLogger((line) => {
    if (!failedToStart) (table ?? output).out(line);
  }, options.logLevel);
  void output.outClosed?.then(() => output.err(OUTPUT_CLOSED_NOTE));

  try {
    const { pool, notes, ended } = await startPool(options, jobs, logger, closers).catch(
      (error: unknown) => {
        failedToStart = isStarting;
        throw error;
      },
    );
    isStarting = false;
    const store = describeStore(options.store);
    table?.show(pool, store, notes);
    logger.info('orbit running', { pool: pool.id, jobs: jobs.jobs.length, store, notes });

    const signal = await Promise.race([signals.first, ended.then(() => undefined)]);
    if (signal !== undefined) {
      const { graceMs } = options;
      logger.info('stopping: no new runs; runs in progress may finish', { signal, graceMs });
    }
    const hurry = signals.hurry.then((second) => {
      logger.warn('stopping now: runs in progress are aborted', { signal: second });
    });
    const outcome = await stopGracefully(pool, {
      graceMs: options.graceMs,
      killTimeoutMs: KILL_TIMEOUT_MS,
      hurry,
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
  jobs: JobsModule,
  logger: Logger,
  closers: Closer[],
): Promise<{ pool: Pool; notes: string[]; ended: Promise<void> }> {
  const notes: string[] = [];
  await checkStoreReachable(options.store);
  const store = await openStore(options.store);
  if (store !== undefined) closers.push(() => closeStore(store));
  const metrics = options.metrics && (await startMetrics(options.metrics, closers));
  if (metrics) notes.push(metrics.note);

  // A durable store needs a pool id; `store` joins PoolConfig with the durable stores.
  const storeOption = store === undefined ? {} : { store };
  const config = { id: 'orbit', ...jobs.pool, ...storeOption } as PoolConfig;
  const pool = new Orbit({ logger }).createPool(config, metrics?.service.monitoring);
  closers.push(() => pool.kill({ timeout: KILL_TIMEOUT_MS }));
  metrics?.service.observe(pool);

  // The dashboard comes first: its address is the first line, and it sees every job added.
  if (options.dashboard !== undefined) {
    const { dashboard, dashboardToken: token } = options;
    notes.push((await startDashboard(dashboard, token, pool, store, logger, closers)).note);
  }
  const ended = everyJobEnded(pool);
  for (const job of jobs.jobs) pool.addJob(job);
  pool.run();
  return { pool, notes, ended };
}
