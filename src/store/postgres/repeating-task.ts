import type { Clock, TimerHandle } from '../../time/clock.js';
import { Backoff } from './backoff.js';

/**
 * Runs an async task every `intervalMs` (each wait drawn within ±10 % so processes drift
 * apart), one at a time. A failed run is reported and retried sooner, with backoff, but
 * never later than the interval.
 */
export class RepeatingTask {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #task: () => Promise<void>;
  readonly #failed: (error: unknown) => void;
  readonly #backoff: Backoff;

  #timer: TimerHandle | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;

  constructor(
    clock: Clock,
    intervalMs: number,
    task: () => Promise<void>,
    failed: (error: unknown) => void,
  ) {
    this.#clock = clock;
    this.#intervalMs = intervalMs;
    this.#task = task;
    this.#failed = failed;
    this.#backoff = new Backoff(Math.min(100, intervalMs), intervalMs);
  }

  /** Starts the cycle; the first run is after `firstDelayMs`. */
  start(firstDelayMs = this.#intervalMs): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#arm(firstDelayMs);
  }

  /** Runs the task now unless a run is under way; the cycle restarts from here. */
  runNow(): void {
    if (this.#stopped || this.#running !== undefined) return;
    this.#disarm();
    this.#fire();
  }

  /** Stops the cycle and waits for a run under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#disarm();
    await this.#running;
  }

  #fire = (): void => {
    this.#timer = undefined;
    this.#running = this.#runOnce();
  };

  async #runOnce(): Promise<void> {
    let delayMs: number;
    try {
      await this.#task();
      this.#backoff.reset();
      delayMs = this.#intervalMs * (0.9 + Math.random() * 0.2);
    } catch (error) {
      this.#failed(error);
      delayMs = this.#backoff.nextDelayMs();
    }
    this.#running = undefined;
    if (!this.#stopped) this.#arm(delayMs);
  }

  #arm(delayMs: number): void {
    this.#timer = this.#clock.setTimeout(this.#fire, delayMs);
  }

  #disarm(): void {
    if (this.#timer === undefined) return;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
