import type { Job } from '../job/job.js';
import type { JobStateMachine } from '../job/job-state-machine.js';
import { JobStatus } from '../job/job-status.js';
import type { Logger } from '../logging/logger.js';
import { firstDue } from '../schedule/schedule.js';
import { andThen, isPromise } from '../store/maybe-promise.js';
import { scheduleHash } from '../store/schedule-hash.js';
import type { JobDefinition, MaybePromise, Registration, Store } from '../store/store.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import { restoreJob } from './job-restore.js';
import { CLAIM_RETRY_MS } from './run-claims.js';

/** What registering needs from the pool. */
export interface RegistrarContext {
  readonly store: Store;
  readonly poolId: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly states: JobStateMachine;
  /** Whether `job` is still in the pool and the pool alive. */
  readonly isCurrent: (job: Job) => boolean;
  /** The job has its stored state: report it, and schedule it if the pool runs. */
  readonly registered: (job: Job) => void;
}

/**
 * Tells the store about every job added to the pool and gives the job the state the store
 * kept. A job waits (`registering`) until a store that answers with a promise has
 * answered; a store that failed is asked again after {@link CLAIM_RETRY_MS}.
 */
export class JobRegistrar {
  readonly #context: RegistrarContext;
  readonly #retries = new Set<TimerHandle>();
  /** Ids of jobs that ended in this pool: adding one again makes a new job. */
  readonly #departed = new Set<string>();

  constructor(context: RegistrarContext) {
    this.#context = context;
  }

  /** Refuses an id the store cannot keep as given. @throws OrbitError `INVALID_CONFIG` */
  checkId(jobId: string): void {
    this.#context.store.checkId?.(jobId, 'job');
  }

  /**
   * Asks the store about `job`. A synchronous store's failure is thrown here, before the
   * job joins the pool. @throws OrbitError `STORE_UNAVAILABLE`
   */
  request(job: Job): MaybePromise<Registration> {
    const { store, poolId } = this.#context;
    const definition = this.#definitionOf(job);
    if (!this.#departed.delete(job.id)) return store.register(poolId, definition);
    return andThen(store.remove(poolId, job.id), () => store.register(poolId, definition));
  }

  /** Applies the store's answer to `job`, now or when the promise settles. */
  receive(job: Job, answer: MaybePromise<Registration>): void {
    if (!isPromise(answer)) {
      this.#apply(job, answer);
      return;
    }

    job.registering = true;
    void answer.then(
      (registration) => this.#apply(job, registration),
      (error: unknown) => this.#retryLater(job, error),
    );
  }

  /** The job ended in this pool and left it. */
  departed(jobId: string): void {
    this.#departed.add(jobId);
  }

  /** Cancels the registrations waiting to be tried again (the pool shuts down). */
  stop(): void {
    for (const timer of this.#retries) this.#context.clock.clearTimeout(timer);
    this.#retries.clear();
  }

  #apply(job: Job, registration: Registration): void {
    if (!this.#context.isCurrent(job)) return;

    job.registering = false;
    const nowMs = this.#context.clock.now();
    if (job.status === JobStatus.Waiting) {
      restoreJob(job, registration, this.#context.states, nowMs);
    }
    this.#context.registered(job);
  }

  #retryLater(job: Job, error: unknown): void {
    const { clock, logger } = this.#context;
    logger.error('store.register failed; the job waits and tries again', { jobId: job.id, error });

    const timer = clock.setTimeout(() => {
      this.#retries.delete(timer);
      if (!this.#context.isCurrent(job)) return;
      try {
        this.receive(job, this.request(job));
      } catch (thrown) {
        this.#retryLater(job, thrown);
      }
    }, CLAIM_RETRY_MS);
    this.#retries.add(timer);
  }

  #definitionOf(job: Job): JobDefinition {
    const { id, name, schedule, startAtMs, misfire } = job.config;
    const firstDueAt = firstDue(schedule, this.#context.clock.now(), startAtMs, misfire);
    return { jobId: id, name, scheduleHash: scheduleHash(job.config), firstDueAt };
  }
}
