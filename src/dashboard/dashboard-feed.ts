import { POOL_EVENT_NAMES, type PoolEventName, type PoolEvents } from '../events/pool-events.js';
import type { Logger } from '../logging/logger.js';
import type { DashboardPool } from './dashboard-pool.js';
import { toJobView, type JobView } from './job-view.js';
import { RunHistory } from './run-history.js';

/** One pool with all its jobs. */
export interface PoolView {
  readonly id: string;
  readonly running: boolean;
  /** `true` for a pool no process but others runs, shown from the fleet store. */
  readonly elsewhere: boolean;
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

/** The jobs other processes run, as a shared store has them; see `FleetWatch`. */
export interface FleetViews {
  poolIds(): string[];
  views(poolId: string, except: ReadonlySet<string>): JobView[];
}

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
  #fleet: FleetViews | undefined;

  constructor(pools: ReadonlyMap<string, DashboardPool>, host: FeedHost) {
    this.#pools = pools;
    this.#host = host;
    for (const pool of pools.values()) this.#watch(pool);
  }

  /** Every pool and job as they are now. */
  snapshot(): DashboardSnapshot {
    const pools: PoolView[] = [];
    for (const poolId of this.#poolIds()) {
      const jobs = this.#viewsOf(poolId, undefined) ?? [];
      pools.push({ ...this.#poolHead(poolId), jobs });
    }
    return { serverTime: new Date().toISOString(), pools };
  }

  /** Shows, besides the pools of this process, the jobs of others from `fleet`. */
  attachFleet(fleet: FleetViews): void {
    this.#fleet = fleet;
  }

  /** The fleet store was read, and these pools changed there. */
  fleetChanged(poolIds: ReadonlySet<string>): void {
    for (const poolId of poolIds) this.#markChanged(poolId, undefined);
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
    return this.#viewsOf(pool.id, new Set([jobId]))?.[0];
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
      const update = this.#poolUpdate(poolId, marks);
      if (update !== undefined) pools.push(update);
    }
    this.#changed.clear();

    if (pools.length > 0) this.#host.publish({ serverTime: new Date().toISOString(), pools });
    this.#armRefresh();
  };

  #poolUpdate(poolId: string, marks: Set<string> | 'all'): PoolUpdate | undefined {
    const complete = marks === 'all';
    const jobs = this.#viewsOf(poolId, complete ? undefined : marks);
    if (jobs === undefined) return undefined;

    const sent = this.#sentOf(poolId);
    const fresh = jobs.filter((view) => complete || sent.get(view.id) !== JSON.stringify(view));
    for (const view of fresh) sent.set(view.id, JSON.stringify(view));
    const shown = new Set(jobs.map((view) => view.id));
    const removedJobIds = complete ? [] : [...marks].filter((id) => !shown.has(id));
    for (const id of removedJobIds) sent.delete(id);

    if (!complete && fresh.length === 0 && removedJobIds.length === 0) return undefined;
    return { ...this.#poolHead(poolId), jobs: fresh, complete, removedJobIds };
  }

  /** The pools of this process, then those only the fleet store holds. */
  #poolIds(): string[] {
    const fleetOnly = (this.#fleet?.poolIds() ?? []).filter((id) => !this.#pools.has(id));
    return [...this.#pools.keys(), ...fleetOnly];
  }

  #poolHead(poolId: string): Pick<PoolView, 'id' | 'running' | 'elsewhere'> {
    const pool = this.#pools.get(poolId);
    return { id: poolId, running: pool?.isRunning ?? false, elsewhere: pool === undefined };
  }

  /**
   * Views of the jobs in `only` (all when `undefined`): those of this process's pool, then
   * the fleet store's others; `undefined` if the pool's state failed.
   */
  #viewsOf(poolId: string, only: ReadonlySet<string> | undefined): JobView[] | undefined {
    const pool = this.#pools.get(poolId);
    const local = pool === undefined ? [] : this.#localViews(pool, only);
    if (local === undefined || only !== undefined || this.#fleet === undefined) return local;

    const shown = new Set(local.map((view) => view.id));
    return [...local, ...this.#fleet.views(poolId, shown)];
  }

  #localViews(pool: DashboardPool, only: ReadonlySet<string> | undefined): JobView[] | undefined {
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
