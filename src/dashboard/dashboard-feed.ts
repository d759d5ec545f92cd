import { POOL_EVENT_NAMES, type PoolEventName, type PoolEvents } from '../events/pool-events.js';
import type { Logger } from '../logging/logger.js';
import type { DashboardPool } from './dashboard-pool.js';
import { toJobView, type JobView } from './job-view.js';
import { RunHistory } from './run-history.js';

/** One pool with all its jobs. */
export interface PoolView {
  readonly id: string;
  readonly running: boolean;
  readonly jobs: readonly JobView[];
}

/** What changed in one pool. */
export interface PoolUpdate extends PoolView {
  /** `true` when `jobs` lists every job of the pool: the others are gone. */
  readonly complete: boolean;
  /** Jobs that left the pool's state (removed). */
  readonly removedJobIds: readonly string[];
}

/** Every pool, as the page first draws it. */
export interface DashboardSnapshot {
  readonly serverTime: string;
  readonly pools: readonly PoolView[];
}

/** What changed since the last update. */
export interface DashboardUpdate {
  readonly serverTime: string;
  readonly pools: readonly PoolUpdate[];
}

/** Changes are gathered this long, so a burst of events makes one update. */
export const UPDATE_DELAY_MS = 100;
/** How often running jobs are looked at again, for data they saved and their run time. */
export const LIVE_REFRESH_MS = 1_000;

/** What the feed needs from the server around it. */
export interface FeedHost {
  /** Whether anyone listens to updates; without listeners the feed computes nothing. */
  hasAudience(): boolean;
  publish(update: DashboardUpdate): void;
  readonly logger: Logger;
}

/**
 * Turns the events of the dashboard's pools into views of their jobs: a full snapshot
 * for a new page, then updates of what changed. Events only mark jobs as changed; the
 * views are built at most every {@link UPDATE_DELAY_MS}, and only while someone listens.
 */
export class DashboardFeed {
  readonly #pools: ReadonlyMap<string, DashboardPool>;
  readonly #host: FeedHost;
  readonly #histories = new Map<string, RunHistory>();
  readonly #detachers: (() => void)[] = [];
  /** Changed jobs by pool; `'all'` when the pool itself changed. */
  readonly #changed = new Map<string, Set<string> | 'all'>();
  /** The JSON of the view last sent of each job, by pool, to send only what changed. */
  readonly #sent = new Map<string, Map<string, string>>();
  /** Jobs last seen running or paused, by pool. */
  readonly #live = new Map<string, Set<string>>();
  #updateTimer: NodeJS.Timeout | undefined;
  #refreshTimer: NodeJS.Timeout | undefined;

  constructor(pools: ReadonlyMap<string, DashboardPool>, host: FeedHost) {
    this.#pools = pools;
    this.#host = host;
    for (const pool of pools.values()) this.#watch(pool);
  }

  /** Every pool and job as they are now. */
  snapshot(): DashboardSnapshot {
    const pools: PoolView[] = [];
    for (const pool of this.#pools.values()) {
      const jobs = this.#viewsOf(pool, undefined) ?? [];
      pools.push({ id: pool.id, running: pool.isRunning, jobs });
    }
    return { serverTime: new Date().toISOString(), pools };
  }

  /**
   * The snapshot for a new listener of updates. What was sent before is forgotten, so
   * every later change reaches the new listener too, even one back to an earlier state.
   */
  openingSnapshot(): DashboardSnapshot {
    this.#sent.clear();
    const snapshot = this.snapshot();
    this.#armRefresh();
    return snapshot;
  }

  /** The view of one job now, or `undefined` when the pool's state has no such job. */
  jobView(pool: DashboardPool, jobId: string): JobView | undefined {
    return this.#viewsOf(pool, new Set([jobId]))?.[0];
  }

  /** A job changed in a way no event tells (a run asked for by `runNow`). */
  jobTouched(poolId: string, jobId: string): void {
    this.#markChanged(poolId, jobId);
  }

  /** Stops listening to the pools and drops pending work. */
  close(): void {
    for (const detach of this.#detachers.splice(0)) detach();
    clearTimeout(this.#updateTimer);
    clearTimeout(this.#refreshTimer);
    this.#changed.clear();
  }

  #watch(pool: DashboardPool): void {
    const history = new RunHistory();
    this.#histories.set(pool.id, history);
    this.#listen(pool, 'run:started', (event) => history.started(event));
    this.#listen(pool, 'run:succeeded', (event) => history.ended(event));
    this.#listen(pool, 'run:failed', (event) => history.ended(event));
    this.#listen(pool, 'job:stopped', (event) => history.stopped(event));
    this.#listen(pool, 'job:removed', (event) => history.forget(event.jobId));
    for (const name of POOL_EVENT_NAMES) {
      this.#listen(pool, name, (event) => {
        this.#markChanged(pool.id, 'jobId' in event ? event.jobId : undefined);
      });
    }
  }

  #listen<K extends PoolEventName>(
    pool: DashboardPool,
    name: K,
    listener: (event: PoolEvents[K]) => void,
  ): void {
    pool.on(name, listener);
    this.#detachers.push(() => pool.off(name, listener));
  }

  /** Marks one job as changed, or the whole pool when `jobId` is `undefined`. */
  #markChanged(poolId: string, jobId: string | undefined): void {
    if (!this.#host.hasAudience()) return;

    const marks = this.#changed.get(poolId);
    if (jobId !== undefined && marks !== 'all') {
      this.#changed.set(poolId, (marks ?? new Set()).add(jobId));
    } else {
      this.#changed.set(poolId, 'all');
    }
    this.#updateTimer ??= unref(setTimeout(this.#update, UPDATE_DELAY_MS));
  }

  readonly #update = (): void => {
    this.#updateTimer = undefined;
    const pools: PoolUpdate[] = [];
    for (const [poolId, marks] of this.#changed) {
      const pool = this.#pools.get(poolId);
      const update = pool === undefined ? undefined : this.#poolUpdate(pool, marks);
      if (update !== undefined) pools.push(update);
    }
    this.#changed.clear();

    if (pools.length > 0) this.#host.publish({ serverTime: new Date().toISOString(), pools });
    this.#armRefresh();
  };

  #poolUpdate(pool: DashboardPool, marks: Set<string> | 'all'): PoolUpdate | undefined {
    const complete = marks === 'all';
    const jobs = this.#viewsOf(pool, complete ? undefined : marks);
    if (jobs === undefined) return undefined;

    const sent = this.#sentOf(pool.id);
    const fresh = jobs.filter((view) => complete || sent.get(view.id) !== JSON.stringify(view));
    for (const view of fresh) sent.set(view.id, JSON.stringify(view));
    const shown = new Set(jobs.map((view) => view.id));
    const removedJobIds = complete ? [] : [...marks].filter((id) => !shown.has(id));
    for (const id of removedJobIds) sent.delete(id);

    if (!complete && fresh.length === 0 && removedJobIds.length === 0) return undefined;
    return { id: pool.id, running: pool.isRunning, jobs: fresh, complete, removedJobIds };
  }

  /** Views of the jobs in `only` (all when `undefined`); `undefined` if the state failed. */
  #viewsOf(pool: DashboardPool, only: ReadonlySet<string> | undefined): JobView[] | undefined {
    let states: Record<string, unknown>;
    try {
      states = pool.getMetrics();
    } catch (error) {
      this.#host.logger.warn('pool.getMetrics threw; the dashboard shows no update', {
        pool: pool.id,
        error,
      });
      return undefined;
    }

    const history = this.#histories.get(pool.id);
    const ids = only === undefined ? Object.keys(states) : [...only].filter((id) => id in states);
    const views = ids.map((id) => toJobView(id, states[id], history?.of(id)));
    this.#noteLive(pool.id, views);
    return views;
  }

  #noteLive(poolId: string, views: readonly JobView[]): void {
    let live = this.#live.get(poolId);
    if (live === undefined) this.#live.set(poolId, (live = new Set<string>()));
    for (const view of views) {
      if (view.status === 'running' || view.status === 'paused') live.add(view.id);
      else live.delete(view.id);
    }
  }

  /** While jobs run and someone listens, looks at them again every {@link LIVE_REFRESH_MS}. */
  #armRefresh(): void {
    const anyLive = [...this.#live.values()].some((live) => live.size > 0);
    if (this.#refreshTimer !== undefined || !anyLive || !this.#host.hasAudience()) return;
    this.#refreshTimer = unref(setTimeout(this.#refresh, LIVE_REFRESH_MS));
  }

  readonly #refresh = (): void => {
    this.#refreshTimer = undefined;
    if (!this.#host.hasAudience()) return;

    for (const [poolId, live] of this.#live) {
      const marks = this.#changed.get(poolId) ?? new Set<string>();
      if (live.size === 0 || marks === 'all') continue;
      for (const jobId of live) marks.add(jobId);
      this.#changed.set(poolId, marks);
    }
    this.#update();
  };

  #sentOf(poolId: string): Map<string, string> {
    let sent = this.#sent.get(poolId);
    if (sent === undefined) this.#sent.set(poolId, (sent = new Map<string, string>()));
    return sent;
  }
}

/** A timer that does not keep the process alive on its own. */
function unref(timer: NodeJS.Timeout): NodeJS.Timeout {
  timer.unref();
  return timer;
}
