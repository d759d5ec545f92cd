import type { Clock, TimerHandle } from '../time/clock.js';
import { DueQueue, type DueEntry } from './due-queue.js';

/**
 * The longest a single timer waits. Node cannot arm a timer past 2^31 - 1 ms (24.8 days),
 * and a wall-clock jump forward is only seen when a timer fires, so long waits are cut
 * into steps of at most a minute and the clock is read again at each step.
 */
export const MAX_TIMER_WAIT_MS = 60_000;

/** A change of the wall clock against the steady clock larger than this is a jump. */
export const CLOCK_JUMP_TOLERANCE_MS = 250;

/** What the dispatcher asks of its owner. */
export interface DispatchHandlers<J extends DueEntry, D extends DueEntry> {
  /**
   * `job` is due and a worker slot is reserved for it. Return `true` when a run started
   * (it then holds the slot until {@link Dispatcher.release}), `false` to give it back.
   */
  start(job: J, nowMs: number): boolean;
  /** `deadline` has passed. */
  expire(deadline: D, nowMs: number): void;
  /**
   * The wall clock jumped by `driftMs` (positive: forward). The owner may move queued
   * due instants; the dispatcher restores queue order afterwards.
   */
  clockJumped(driftMs: number, queued: readonly J[]): void;
}

/**
 * The dispatch loop. Due instants live in a heap with one timer armed to the earliest,
 * so an idle pool costs nothing and a due job starts at its instant, whatever the number
 * of jobs. Due jobs that find every worker slot taken stay in the heap, which already
 * orders them by due instant and then by order of addition: that order is the fairness
 * rule when slots free up.
 */
export class Dispatcher<J extends DueEntry, D extends DueEntry> {
  readonly #clock: Clock;
  readonly #maxWorkers: number;
  readonly #handlers: DispatchHandlers<J, D>;
  readonly #due = new DueQueue<J>();
  readonly #deadlines = new DueQueue<D>();

  #active = false;
  #pumping = false;
  #busySlots = 0;
  #timer: TimerHandle | undefined;
  #timerTargetMs = Number.POSITIVE_INFINITY;
  #wallOffsetMs = 0;

  constructor(clock: Clock, maxWorkers: number, handlers: DispatchHandlers<J, D>) {
    this.#clock = clock;
    this.#maxWorkers = maxWorkers;
    this.#handlers = handlers;
  }

  /** Runs in flight, each holding a worker slot. */
  get busySlots(): number {
    return this.#busySlots;
  }

  /** Jobs waiting for their instant or for a slot. */
  get queuedJobs(): number {
    return this.#due.size;
  }

  start(): void {
    if (this.#active) return;
    this.#active = true;
    this.#wallOffsetMs = this.#clock.now() - this.#clock.monotonic();
    this.#pump();
  }

  /** Disarms the timer and starts nothing more; queued entries stay where they are. */
  stop(): void {
    this.#active = false;
    this.#disarm();
  }

  /** Queues `job` at its `dueAt`, or moves it there when already queued. */
  schedule(job: J): void {
    if (this.#due.has(job)) this.#due.update(job);
    else this.#due.push(job);
    this.#rearm();
  }

  unschedule(job: J): void {
    this.#due.remove(job);
  }

  isScheduled(job: J): boolean {
    return this.#due.has(job);
  }

  watchDeadline(deadline: D): void {
    if (this.#deadlines.has(deadline)) this.#deadlines.update(deadline);
    else this.#deadlines.push(deadline);
    this.#rearm();
  }

  unwatchDeadline(deadline: D): void {
    this.#deadlines.remove(deadline);
  }

  /** A run gave its worker slot back; the next due job may take it. */
  release(): void {
    this.#busySlots--;
    this.#pump();
  }

  #rearm(): void {
    if (!this.#pumping) this.#arm();
  }

  #pump(): void {
    if (this.#pumping || !this.#active) return;
    this.#pumping = true;
    try {
      this.#dispatchDue();
    } finally {
      this.#pumping = false;
    }
    this.#arm();
  }

  #dispatchDue(): void {
    let nowMs = this.#readClock();

    for (;;) {
      this.#expireDeadlines(nowMs);
      if (!this.#active || this.#busySlots >= this.#maxWorkers) return;

      const next = this.#due.peek();
      if (next === undefined) return;
      if (next.dueAt > nowMs) {
        // Runs started in this loop took time; look once more before sleeping.
        nowMs = this.#clock.now();
        if (next.dueAt > nowMs) return;
      }

      this.#due.pop();
      this.#busySlots++;
      if (!this.#handlers.start(next, nowMs)) this.#busySlots--;
    }
  }

  #expireDeadlines(nowMs: number): void {
    for (let deadline = this.#deadlines.peek(); deadline !== undefined;) {
      if (deadline.dueAt > nowMs) return;
      this.#deadlines.pop();
      this.#handlers.expire(deadline, nowMs);
      deadline = this.#deadlines.peek();
    }
  }

  /** Reads the wall clock and, when it jumped since the last read, lets the owner adapt. */
  #readClock(): number {
    const nowMs = this.#clock.now();
    const offsetMs = nowMs - this.#clock.monotonic();
    const driftMs = offsetMs - this.#wallOffsetMs;
    this.#wallOffsetMs = offsetMs;
    if (Math.abs(driftMs) <= CLOCK_JUMP_TOLERANCE_MS) return nowMs;

    // Deadlines measure elapsed time, so they travel with the jump.
    for (const deadline of this.#deadlines.entries()) deadline.dueAt += driftMs;
    this.#deadlines.reorder();
    this.#handlers.clockJumped(driftMs, this.#due.entries());
    this.#due.reorder();
    return nowMs;
  }

  #arm(): void {
    if (!this.#active) return;

    const targetMs = this.#nextWakeMs();
    if (targetMs === this.#timerTargetMs && this.#timer !== undefined) return;

    this.#disarm();
    if (targetMs === Number.POSITIVE_INFINITY) return;

    const delayMs = Math.min(Math.max(targetMs - this.#clock.now(), 0), MAX_TIMER_WAIT_MS);
    this.#timerTargetMs = targetMs;
    this.#timer = this.#clock.setTimeout(this.#onTimer, delayMs);
  }

  #nextWakeMs(): number {
    const deadlineMs = this.#deadlines.peek()?.dueAt ?? Number.POSITIVE_INFINITY;
    const slotFree = this.#busySlots < this.#maxWorkers;
    const dueMs = slotFree ? (this.#due.peek()?.dueAt ?? Number.POSITIVE_INFINITY) : Infinity;
    return Math.min(deadlineMs, dueMs);
  }

  #disarm(): void {
    if (this.#timer === undefined) return;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerTargetMs = Number.POSITIVE_INFINITY;
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#timerTargetMs = Number.POSITIVE_INFINITY;
    this.#pump();
  };
}
