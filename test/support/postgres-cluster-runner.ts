import type { ClaimedRun } from '../../src/store/postgres/claim.js';
import type { ControlMessage } from '../../src/store/postgres/control.js';
import type { StoredJobDefinition } from '../../src/store/postgres/job-definition.js';
import type { PoolCoordinator } from '../../src/store/postgres/pool-coordinator.js';
import type { PostgresStore } from '../../src/store/postgres/postgres-store.js';

/** A job for the runner: its stored definition and its work. */
export interface RunnerJob {
  readonly definition: StoredJobDefinition;
  fn(run: ClaimedRun, signal: AbortSignal): unknown;
}

/**
 * The smallest executor that can sit on a pool coordinator: it starts claimed runs,
 * reports their ends, and aborts runs whose lease was lost or that were stopped. It
 * stands in for a pool in tests of the PostgreSQL layer on its own.
 */
export class ClusterRunner {
  readonly lost: ClaimedRun[] = [];
  readonly controls: ControlMessage[] = [];
  readonly errors: Error[] = [];
  readonly #store: PostgresStore;
  readonly #poolId: string;
  readonly #jobs: Map<string, RunnerJob>;
  readonly #maxWorkers: number;
  readonly #live = new Map<string, { run: ClaimedRun; abort: AbortController }>();
  #coordinator: PoolCoordinator | undefined;

  constructor(store: PostgresStore, poolId: string, jobs: readonly RunnerJob[], maxWorkers = 100) {
    this.#store = store;
    this.#poolId = poolId;
    this.#jobs = new Map(jobs.map((job) => [job.definition.id, job]));
    this.#maxWorkers = maxWorkers;
  }

  get liveRuns(): number {
    return this.#live.size;
  }

  async start(): Promise<void> {
    const definitions = [...this.#jobs.values()].map((job) => job.definition);
    await this.#store.sync(this.#poolId, definitions);
    this.#coordinator = await this.#store.attach(this.#poolId, {
      freeSlots: () => this.#maxWorkers - this.#live.size,
      definition: (jobId) => this.#jobs.get(jobId)?.definition,
      claimed: (run) => this.#start(run),
      leaseLost: (run) => {
        this.lost.push(run);
        this.#abort(run.jobId, 'lost');
      },
      control: (message) => {
        this.controls.push(message);
        if (message.command === 'stop') this.#abort(message.job, 'stopped');
      },
      storeFailed: (error) => this.errors.push(error),
    });
  }

  /** Asks the database what is due now rather than at the next poll. */
  wake(): void {
    this.#coordinator?.wake();
  }

  /** Abandons the runs in progress and leaves the cluster. */
  async stop(): Promise<void> {
    const coordinator = this.#coordinator;
    if (coordinator === undefined) return;
    const ends = [...this.#live.values()].map(({ run, abort }) => {
      abort.abort(new Error('shutdown'));
      return coordinator.complete(run, { outcome: 'abandoned' });
    });
    this.#live.clear();
    await Promise.all(ends);
    await this.#store.detach(this.#poolId);
  }

  #start(run: ClaimedRun): void {
    const job = this.#jobs.get(run.jobId);
    if (job === undefined) return;
    const abort = new AbortController();
    this.#live.set(run.jobId, { run, abort });
    void this.#execute(job, run, abort.signal);
  }

  async #execute(job: RunnerJob, run: ClaimedRun, signal: AbortSignal): Promise<void> {
    let failure: unknown;
    try {
      await job.fn(run, signal);
    } catch (error) {
      failure = error;
    }
    if (this.#live.get(run.jobId)?.run !== run) return;
    this.#live.delete(run.jobId);

    const stopped = signal.aborted && signal.reason === 'stopped';
    const outcome = stopped ? 'stopped' : failure === undefined ? 'succeeded' : 'failed';
    const errorMessage = failure instanceof Error ? failure.message : undefined;
    await this.#coordinator?.complete(run, {
      outcome,
      errorCode: failure === undefined ? undefined : 'JOB_EXECUTION',
      errorMessage,
    });
  }

  #abort(jobId: string, reason: 'lost' | 'stopped'): void {
    const live = this.#live.get(jobId);
    if (live === undefined) return;
    if (reason === 'lost') this.#live.delete(jobId);
    live.abort.abort(reason);
  }
}
