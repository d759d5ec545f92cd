import type { Job } from '../job/job.js';
import type { Clock, TimerHandle } from '../time/clock.js';

/**
 * Jobs whose due tick has another process as its first choice, each waiting until an
 * instant to claim the tick itself (see `Store.standby`). Ticks fall due in order and
 * every job waits as long, so the waits end nearly in order too: a queue in arrival order
 * with one timer, instead of a timer per job. A job that leaves the wait early (its tick
 * ran elsewhere) is skipped when its turn comes.
 */
export class StandbyQueue {
  readonly #clock: Clock;
  readonly #ready: (job: Job) => void;
  #jobs: Job[] = [];
  #until: number[] = [];
  #head = 0;
  #timer: TimerHandle | undefined;
  #timerAt = Number.NaN;

  /** `ready` is called with each job whose wait ended, in order. */
  constructor(clock: Clock, ready: (job: Job) => void) {
    this.#clock = clock;
    this.#ready = ready;
  }

  /** Whether the job waits here for its tick. */
  has(job: Job): boolean {
    return !Number.isNaN(job.standbyUntil);
  }

  /** The job waits until `untilMs` (the pool's clock) before it claims its tick. */
  add(job: Job, untilMs: number): void {
    if (this.has(job)) return;
    job.standbyUntil = untilMs;
    this.#jobs.push(job);
    this.#until.push(untilMs);
    if (!(untilMs >= this.#timerAt)) this.#arm(untilMs);
  }

  /** The job no longer waits (its tick ran elsewhere, or it left the pool). */
  remove(job: Job): void {
    job.standbyUntil = Number.NaN;
  }

  /** Forgets every waiting job (the pool shuts down). */
  clear(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.NaN;
    for (let i = this.#head; i < this.#jobs.length; i++) this.remove(this.#jobs[i] as Job);
    this.#jobs = [];
    this.#until = [];
    this.#head = 0;
  }

  #arm(atMs: number): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timerAt = atMs;
    this.#timer = this.#clock.setTimeout(this.#wake, Math.max(0, atMs - this.#clock.now()));
  }

  readonly #wake = (): void => {
    this.#timer = undefined;
    this.#timerAt = Number.NaN;
    const nowMs = this.#clock.now();
    while (this.#head < this.#jobs.length) {
      const untilMs = this.#until[this.#head] as number;
      if (untilMs > nowMs) break;
      const job = this.#jobs[this.#head] as Job;
      this.#head++;
      // Still waiting for this very wait: not moved on, removed or added again since.
      if (job.standbyUntil !== untilMs) continue;
      job.standbyUntil = Number.NaN;
      this.#ready(job);
    }
    this.#compact();
    const next = this.#until[this.#head];
    if (next !== undefined) this.#arm(next);
  };

  /** Drops the consumed front once it is most of the arrays. */
  #compact(): void {
    if (this.#head === this.#jobs.length) {
      this.#jobs = [];
      this.#until = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#jobs.length) {
      this.#jobs = this.#jobs.slice(this.#head);
      this.#until = this.#until.slice(this.#head);
      this.#head = 0;
    }
  }
}
