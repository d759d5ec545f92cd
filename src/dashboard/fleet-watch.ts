import type { Logger } from '../logging/logger.js';
import { isListableStore, type ListableStore, type ListedJob } from '../store/listed-job.js';
import type { MaybePromise, RunRecord } from '../store/store.js';
import type { JobView } from './job-view.js';
import { RECENT_RUNS } from './run-history.js';
import { storeJobView } from './store-job-view.js';

/**
 * A store shared by many processes, as the dashboard reads it: every job it holds, and
 * each job's latest runs. `SqliteStore` and `PostgresStore` are such stores.
 */
export interface FleetStore extends ListableStore {
  history(poolId: string, jobId: string, limit?: number): MaybePromise<readonly RunRecord[]>;
}

/** Whether `store` can feed the dashboard's view of a fleet. */
export function isFleetStore(store: unknown): store is FleetStore {
  return isListableStore(store) && typeof (store as Partial<FleetStore>).history === 'function';
}

/** What a job's row says about its runs: when it changes, its history is read again. */
function runMark(job: ListedJob): string {
  return `${job.status}:${job.fence}:${String(job.lastEndAt)}`;
}

interface WatchedJob {
  readonly mark: string;
  readonly history: readonly RunRecord[];
  readonly view: JobView;
  readonly json: string;
}

/**
 * Reads the jobs of every process from a shared store every `refreshMs`, and tells which
 * pools changed. A job's history is read only when its row shows a new run or status.
 * A failed read is logged, and the last views are kept.
 */
export class FleetWatch {
  readonly #store: FleetStore;
  readonly #refreshMs: number;
  readonly #logger: Logger;
  readonly #onChange: (poolIds: ReadonlySet<string>) => void;
  /** The jobs by pool, then by job id, as last read. */
  #pools = new Map<string, Map<string, WatchedJob>>();
  #timer: NodeJS.Timeout | undefined;
  #isClosed = false;

  constructor(
    store: FleetStore,
    refreshMs: number,
    logger: Logger,
    onChange: (poolIds: ReadonlySet<string>) => void,
  ) {
    this.#store = store;
    this.#refreshMs = refreshMs;
    this.#logger = logger;
    this.#onChange = onChange;
  }

  /** Reads the store once now, then every `refreshMs` until {@link close}. */
  async start(): Promise<void> {
    await this.#refresh();
    this.#arm();
  }

  close(): void {
    this.#isClosed = true;
    clearTimeout(this.#timer);
  }

  /** The ids of the pools the store holds jobs of. */
  poolIds(): string[] {
    return [...this.#pools.keys()];
  }

  /** The views of the jobs of `poolId` in the store, but those in `except`. */
  views(poolId: string, except: ReadonlySet<string> = new Set()): JobView[] {
    const jobs = this.#pools.get(poolId);
    if (jobs === undefined) return [];
    return [...jobs.values()].filter(({ view }) => !except.has(view.id)).map(({ view }) => view);
  }

  #arm(): void {
    if (this.#isClosed) return;
    this.#timer = setTimeout(() => {
      void this.#refresh().finally(() => this.#arm());
    }, this.#refreshMs);
    this.#timer.unref();
  }

  async #refresh(): Promise<void> {
    let pools: Map<string, Map<string, WatchedJob>>;
    try {
      pools = await this.#read();
    } catch (error) {
      this.#logger.warn(
        'reading the fleet from the store failed; the dashboard shows the last read',
        {
          error,
        },
      );
      return;
    }
    if (this.#isClosed) return;

    const changed = changedPools(this.#pools, pools);
    this.#pools = pools;
    if (changed.size > 0) this.#onChange(changed);
  }

  async #read(): Promise<Map<string, Map<string, WatchedJob>>> {
    const listed = await this.#store.listJobs();
    const watched = await Promise.all(listed.map((job) => this.#watch(job)));
    const pools = new Map<string, Map<string, WatchedJob>>();
    listed.forEach((job, index) => {
      let jobs = pools.get(job.poolId);
      if (jobs === undefined) pools.set(job.poolId, (jobs = new Map<string, WatchedJob>()));
      jobs.set(job.jobId, watched[index] as WatchedJob);
    });
    return pools;
  }

  async #watch(job: ListedJob): Promise<WatchedJob> {
    const mark = runMark(job);
    const known = this.#pools.get(job.poolId)?.get(job.jobId);
    const history =
      known?.mark === mark
        ? known.history
        : await this.#store.history(job.poolId, job.jobId, RECENT_RUNS + 1);
    const view = storeJobView(job, history);
    return { mark, history, view, json: JSON.stringify(view) };
  }
}

function changedPools(
  before: ReadonlyMap<string, ReadonlyMap<string, WatchedJob>>,
  after: ReadonlyMap<string, ReadonlyMap<string, WatchedJob>>,
): Set<string> {
  const changed = new Set<string>();
  for (const poolId of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(poolId);
    const is = after.get(poolId);
    const isSame =
      was !== undefined &&
      is !== undefined &&
      was.size === is.size &&
      [...is].every(([jobId, job]) => was.get(jobId)?.json === job.json);
    if (!isSame) changed.add(poolId);
  }
  return changed;
}
