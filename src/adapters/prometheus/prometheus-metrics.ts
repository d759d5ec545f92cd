import { Counter, Gauge, Histogram, register, type Registry } from 'prom-client';
import { invalidConfig, isPlainObject, refuseUnknownKeys } from '../../config/checks.js';
import { describeThrown, OrbitError } from '../../errors/orbit-error.js';
import type { PoolEventName, PoolEvents } from '../../events/pool-events.js';
import type { JobState, Monitoring } from '../../monitoring/monitoring.js';
import type { Pool } from '../../pool/pool.js';
import { StatusTally, type LiveStatus } from './status-tally.js';

/** Options of {@link PrometheusMetrics}. */
export interface PrometheusMetricsOptions {
  /** Where the metrics are registered. @default prom-client's global `register` */
  registry?: Registry;
  /** Put before every metric name. @default 'orbit_' */
  prefix?: string;
  /**
   * Label metrics by job as well as by pool. With very many jobs, turn it off: each job
   * adds a series to every labelled metric. @default true
   */
  jobLabel?: boolean;
  /** Buckets of the run duration histogram, in seconds. */
  durationBuckets?: number[];
  /** Buckets of the start lateness histogram, in seconds. */
  latenessBuckets?: number[];
}

const OPTION_KEYS = new Set([
  'registry',
  'prefix',
  'jobLabel',
  'durationBuckets',
  'latenessBuckets',
]);
const DURATION_BUCKETS_S = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];
const LATENESS_BUCKETS_S = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60];

type Labels = Record<string, string>;

/**
 * Orbit's metrics for Prometheus, on prom-client. Observe pools with
 * {@link PrometheusMetrics.observe} to count runs by outcome, time them, measure how late
 * they start, and count retries, missed and skipped due instants, failing hooks, ended
 * jobs, and jobs running and paused. Passed as a pool's monitoring as well, it also shows
 * each job's current run time, refreshed every `checkInterval` while it runs.
 *
 * @example
 * const metrics = new PrometheusMetrics();
 * const pool = orbit.createPool({ id: 'reports' }, metrics);
 * metrics.observe(pool);
 * // serve `await register.metrics()` at /metrics
 * @throws OrbitError `INVALID_CONFIG` for bad options, or when the registry already holds
 * metrics of these names (use one instance per registry and prefix).
 */
export class PrometheusMetrics implements Monitoring {
  /** The registry the metrics live in. */
  readonly registry: Registry;

  readonly #hasJobLabel: boolean;
  readonly #runs: Counter;
  readonly #duration: Histogram;
  readonly #lateness: Histogram;
  readonly #retries: Counter;
  readonly #missed: Counter;
  readonly #skipped: Counter;
  readonly #hookFailures: Counter;
  readonly #ended: Counter;
  readonly #executionTime: Gauge | undefined;
  readonly #tally = new StatusTally();
  readonly #states = new Map<string, JobState>();

  constructor(options: PrometheusMetricsOptions = {}) {
    const { registry, prefix, jobLabel, durationBuckets, latenessBuckets } = resolve(options);
    const scope = jobLabel ? ['pool', 'job'] : ['pool'];
    const registers = [registry];
    const counter = (name: string, labelNames: string[], help: string): Counter =>
      registered(() => new Counter({ name: prefix + name, help, labelNames, registers }));
    const histogram = (name: string, labelNames: string[], buckets: number[], help: string) =>
      registered(
        () => new Histogram({ name: prefix + name, help, labelNames, buckets, registers }),
      );

    this.registry = registry;
    this.#hasJobLabel = jobLabel;
    this.#runs = counter('runs_total', [...scope, 'outcome'], 'Runs that ended, by outcome.');
    this.#duration = histogram(
      'run_duration_seconds',
      [...scope, 'outcome'],
      durationBuckets,
      'How long runs took, from start to end, by outcome.',
    );
    this.#lateness = histogram(
      'run_lateness_seconds',
      scope,
      latenessBuckets,
      'How late runs started: their start minus their due instant.',
    );
    this.#retries = counter('retries_total', scope, 'Failed runs followed by a retry.');
    this.#missed = counter(
      'missed_ticks_total',
      [...scope, 'reason'],
      'Due instants passed without a run: late (no free slot in time) or misfire.',
    );
    this.#skipped = counter(
      'skipped_ticks_total',
      scope,
      'Due instants skipped because the previous run of the job was still going.',
    );
    this.#hookFailures = counter(
      'hook_failures_total',
      [...scope, 'hook'],
      'Hooks that threw or rejected.',
    );
    this.#ended = counter(
      'jobs_ended_total',
      ['pool', 'reason'],
      'Jobs that ended and left their pool: schedule-over or failed.',
    );
    for (const status of ['running', 'paused'] as const) {
      registered(() => statusGauge(this.#tally, status, prefix, registers));
    }
    this.#executionTime = jobLabel
      ? registered(
          () =>
            new Gauge({
              name: `${prefix}job_execution_seconds`,
              help: "The current or latest run's execution time, in pools using this monitoring.",
              labelNames: ['job'],
              registers,
            }),
        )
      : undefined;
  }

  /**
   * Starts counting the events of `pool`. Returns a function that stops it.
   *
   * @throws OrbitError `INVALID_CONFIG` when `pool` is not a pool.
   */
  observe(pool: Pool): () => void {
    if (typeof (pool as Partial<Pool> | undefined)?.on !== 'function') {
      throw invalidConfig('observe pool', 'a Pool', pool);
    }
    const detachers = [
      this.#listen(pool, 'run:started', (event) => this.#started(event)),
      this.#listen(pool, 'run:succeeded', (event) => this.#finished(event, 'success')),
      this.#listen(pool, 'run:failed', (event) => this.#finished(event, 'failure')),
      this.#listen(pool, 'run:retried', (event) => this.#retries.inc(this.#labels(event))),
      this.#listen(pool, 'run:missed', (event) =>
        this.#missed.inc({ ...this.#labels(event), reason: event.reason }, event.count),
      ),
      this.#listen(pool, 'run:skipped', (event) =>
        this.#skipped.inc(this.#labels(event), event.count),
      ),
      this.#listen(pool, 'hook:failed', (event) =>
        this.#hookFailures.inc({ ...this.#labels(event), hook: event.hook }),
      ),
      this.#listen(pool, 'job:paused', (event) => this.#live(event, 'paused')),
      this.#listen(pool, 'job:pause-withdrawn', (event) => this.#live(event, 'running')),
      this.#listen(pool, 'job:resumed', (event) => {
        if (event.from === 'paused') this.#live(event, 'running');
      }),
      this.#listen(pool, 'job:stopped', (event) => this.#live(event, undefined)),
      this.#listen(pool, 'job:removed', (event) => this.#live(event, undefined)),
      this.#listen(pool, 'job:ended', (event) => {
        this.#live(event, undefined);
        this.#ended.inc({ pool: event.poolId, reason: event.reason });
      }),
    ];
    this.#tally.countsOf(pool.id);
    return () => {
      for (const detach of detachers) detach();
    };
  }

  /** Keeps the job's latest state and shows its run time. */
  saveMetrics(state: JobState): void {
    this.#states.set(state.jobId, state);
    this.#executionTime?.set({ job: state.jobId }, state.executionTime / 1000);
  }

  /** The latest state of every job this monitoring was given. */
  getMetrics(): Record<string, JobState> {
    return Object.fromEntries(this.#states);
  }

  #listen<K extends PoolEventName>(
    pool: Pool,
    name: K,
    handle: (event: PoolEvents[K]) => void,
  ): () => void {
    pool.on(name, handle);
    return () => pool.off(name, handle);
  }

  #started(event: PoolEvents['run:started']): void {
    this.#live(event, 'running');
    this.#lateness.observe(this.#labels(event), Math.max(event.latenessMs, 0) / 1000);
  }

  #finished(event: PoolEvents['run:succeeded'], outcome: 'success' | 'failure'): void {
    this.#live(event, undefined);
    const labels = { ...this.#labels(event), outcome };
    this.#runs.inc(labels);
    this.#duration.observe(labels, event.durationMs / 1000);
  }

  #live(event: { poolId: string; jobId: string }, status: LiveStatus | undefined): void {
    this.#tally.set(event.poolId, event.jobId, status);
  }

  #labels(event: { poolId: string; jobId: string }): Labels {
    return this.#hasJobLabel ? { pool: event.poolId, job: event.jobId } : { pool: event.poolId };
  }
}

const STATUS_HELP: Readonly<Record<LiveStatus, string>> = {
  running: 'Jobs with a run in progress now, pauses aside.',
  paused: 'Jobs whose run is paused, or asked to pause, now.',
};

/** A gauge of the jobs of each pool in `status`, read from the tally when scraped. */
function statusGauge(
  tally: StatusTally,
  status: LiveStatus,
  prefix: string,
  registers: Registry[],
): Gauge {
  return new Gauge({
    name: `${prefix}jobs_${status}`,
    help: STATUS_HELP[status],
    labelNames: ['pool'],
    registers,
    collect() {
      for (const [pool, counts] of tally.pools()) this.set({ pool }, counts[status]);
    },
  });
}

interface ResolvedOptions {
  registry: Registry;
  prefix: string;
  jobLabel: boolean;
  durationBuckets: number[];
  latenessBuckets: number[];
}

function resolve(options: PrometheusMetricsOptions): ResolvedOptions {
  const given: unknown = options;
  if (!isPlainObject(given)) throw invalidConfig('PrometheusMetrics options', 'an object', given);
  refuseUnknownKeys(given, OPTION_KEYS, 'PrometheusMetrics options');

  const { registry = register, prefix = 'orbit_', jobLabel = true } = options;
  if (typeof (registry as Partial<Registry>).registerMetric !== 'function') {
    throw invalidConfig('registry', 'a prom-client Registry', registry);
  }
  if (typeof prefix !== 'string' || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$|^$/.test(prefix)) {
    throw invalidConfig('prefix', 'a metric name prefix such as orbit_', prefix);
  }
  if (typeof jobLabel !== 'boolean') throw invalidConfig('jobLabel', 'a boolean', jobLabel);

  return {
    registry,
    prefix,
    jobLabel,
    durationBuckets: buckets(options.durationBuckets, DURATION_BUCKETS_S, 'durationBuckets'),
    latenessBuckets: buckets(options.latenessBuckets, LATENESS_BUCKETS_S, 'latenessBuckets'),
  };
}

function buckets(given: unknown, fallback: number[], option: string): number[] {
  if (given === undefined) return fallback;
  const valid =
    Array.isArray(given) &&
    given.length > 0 &&
    given.every(
      (bound, at) =>
        typeof bound === 'number' && bound > 0 && (at === 0 || bound > (given[at - 1] as number)),
    );
  if (!valid) throw invalidConfig(option, 'increasing positive numbers of seconds', given);
  return given as number[];
}

/** Creates a metric; a name the registry already holds is a configuration error. */
function registered<M>(make: () => M): M {
  try {
    return make();
  } catch (error) {
    throw new OrbitError(
      'INVALID_CONFIG',
      `PrometheusMetrics could not register its metrics: ${describeThrown(error)}; ` +
        'use one PrometheusMetrics per registry, or another prefix',
      { cause: error },
    );
  }
}
