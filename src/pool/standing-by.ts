import type { Job } from '../job/job.js';
import { MAX_TIMER_WAIT_MS } from '../dispatch/dispatcher.js';
import type { Clock, TimerHandle } from '../time/clock.js';

/**
 * The least time between two looks over the jobs standing by: when many of their waits
 * end close together, one look serves them all.
 */
export const STANDBY_LOOK_GAP_MS = 250;

/**
 * Jobs whose ticks another process goes first for (see `Store.standby`). Such a job is off
 * the dispatcher: it costs nothing per tick here while its first choice runs it, since
 * that process's run ends move it on (`StoreWatcher.movedOn`) without a timer of its own.
 * One timer looks over them all when the earliest wait ends: a job whose due tick is still
 * unclaimed `waitMs` after it fell due is handed back to claim it, as is one this process
 * may no longer stand by for (it stopped, left, or is on the dispatcher again).
 */
export class StandingBy {
  readonly #clock: Clock;
  readonly #ready: (job: Job) => void;
  readonly #keeps: (job: Job) => boolean;
  /** Each job standing by, with how long past its due tick it waits. */
  readonly #waits = new Map<Job, number>();
  #timer: TimerHandle | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #lookedAt = Number.NEGATIVE_INFINITY;

  /**
   * `ready` gets each job whose wait ended; `keeps` says whether a job still stands by
   * here (one that does not is forgotten at the next look).
   */
  constructor(clock: Clock, ready: (job: Job) => void, keeps: (job: Job) => boolean) {
    this.#clock = clock;
    this.#ready = ready;
    this.#keeps = keeps;
  }

  has(job: Job): boolean {
    return this.#waits.has(job);
  }

  /** The job stands by for its due tick, and for the ticks after, until it leaves. */
  add(job: Job, waitMs: number): void {
    this.#waits.set(job, waitMs);
    this.moved(job);
  }

  /** The job standing by waits for another tick now (its `dueAt` changed). */
  moved(job: Job): void {
    const waitMs = this.#waits.get(job);
    if (waitMs !== undefined) this.#armBy(job.dueAt + waitMs);
  }

  /** The job claims its ticks itself again, or left. */
  remove(job: Job): void {
    this.#waits.delete(job);
  }

  /** Forgets every job (the pool shuts down). */
  clear(): void {
    this.#waits.clear();
    this.#disarm();
  }

  /** Makes sure a look happens by `atMs`, or as soon after the last look as allowed. */
  #armBy(atMs: number): void {
    const nowMs = this.#clock.now();
    // A wait of weeks (a monthly job) is looked at again each minute, as the dispatcher does.
    const lookAtMs = Math.min(
      Math.max(atMs, this.#lookedAt + STANDBY_LOOK_GAP_MS),
      nowMs + MAX_TIMER_WAIT_MS,
    );
    if (lookAtMs >= this.#timerAt) return;
    this.#disarm();
    this.#timerAt = lookAtMs;
    this.#timer = this.#clock.setTimeout(this.#look, Math.max(0, lookAtMs - nowMs));
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  readonly #look = (): void => {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const nowMs = this.#clock.now();
    this.#lookedAt = nowMs;
    const ended: Job[] = [];
    let nextMs = Number.POSITIVE_INFINITY;
    for (const [job, waitMs] of this.#waits) {
      if (!this.#keeps(job)) {
        this.#waits.delete(job);
        continue;
      }
      const untilMs = job.dueAt + waitMs;
      if (untilMs <= nowMs) ended.push(job);
      else if (untilMs < nextMs) nextMs = untilMs;
    }
    for (const job of ended) this.#waits.delete(job);
    if (nextMs !== Number.POSITIVE_INFINITY) this.#armBy(nextMs);
    for (const job of ended) this.#ready(job);
  };
}
