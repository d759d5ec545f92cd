import type { OrbitError } from '../../errors/orbit-error.js';
import type { Clock, TimerHandle } from '../../time/clock.js';
import { Backoff } from './backoff.js';
import type { ClaimedRun } from './claim.js';
import type { ClaimRound } from './claim-round.js';
import { storeUnavailable } from './store-unavailable.js';

/** The most jobs one poll asks for. */
export const MAX_CLAIM_BATCH = 500;

/** What the loop needs from around it. */
export interface ClaimLoopDeps {
  readonly clock: Clock;
  /** The longest sleep without asking the database. */
  readonly pollIntervalMs: number;
  /** Worker slots free in this process's pool. */
  freeSlots(): number;
  /** Claims up to `limit` due jobs; see {@link claimRound}. */
  claim(limit: number): Promise<ClaimRound>;
  /** Runs won, to start; `sentAtMs` is when the claim left, on the steady clock. */
  claimed(runs: readonly ClaimedRun[], sentAtMs: number): void;
  failed(error: OrbitError): void;
}

/**
 * The claim loop of one pool in one process: ask the database what is due, plan each
 * due job, claim in one statement, hand over the runs won, then sleep until the next due
 * instant the database reported (never longer than the poll interval). Wakes early when
 * told that something changed. Only as many jobs are claimed as there are free slots, so
 * a busy process leaves work to the others. Failures are reported and retried with
 * backoff; the loop never stops on its own.
 */
export class ClaimLoop {
  readonly #deps: ClaimLoopDeps;
  readonly #backoff = new Backoff(100, 10_000);
  #timer: TimerHandle | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;

  constructor(deps: ClaimLoopDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#stopped = false;
    this.wake();
  }

  /** Something changed (a slot freed, a job moved): look at the database soon. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#arm(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#disarm();
    await this.#running;
  }

  #arm(delayMs: number): void {
    this.#disarm();
    this.#timer = this.#deps.clock.setTimeout(this.#fire, delayMs);
  }

  #disarm(): void {
    if (this.#timer === undefined) return;
    this.#deps.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #fire = (): void => {
    this.#timer = undefined;
    this.#running = this.#cycle();
  };

  async #cycle(): Promise<void> {
    let delayMs: number | undefined;
    try {
      delayMs = await this.#round();
      this.#backoff.reset();
    } catch (error) {
      this.#deps.failed(storeUnavailable('claiming due jobs', error));
      delayMs = this.#backoff.nextDelayMs();
    }

    this.#running = undefined;
    if (this.#stopped) return;
    if (this.#again) {
      this.#again = false;
      delayMs = 0;
    }
    if (delayMs !== undefined) this.#arm(delayMs);
  }

  /** One poll and claim; returns how long to sleep, `undefined` to wait for a wake. */
  async #round(): Promise<number | undefined> {
    const slots = Math.min(this.#deps.freeSlots(), MAX_CLAIM_BATCH);
    if (slots <= 0) return undefined;

    const sentAtMs = this.#deps.clock.monotonic();
    const round = await this.#deps.claim(slots);
    if (round.won.length > 0) this.#deps.claimed(round.won, sentAtMs);

    // A full page may have more due jobs behind it.
    if (round.planned > 0 && round.found === slots) return 0;
    return this.#sleepMs(round);
  }

  #sleepMs({ dbNowMs, nextDueMs }: ClaimRound): number {
    const { pollIntervalMs } = this.#deps;
    if (nextDueMs === undefined) return pollIntervalMs;
    // A few ms of spread keeps processes that share a due instant from colliding.
    const untilDueMs = Math.max(0, nextDueMs - dbNowMs) + Math.random() * 5;
    return Math.min(untilDueMs, pollIntervalMs);
  }
}
