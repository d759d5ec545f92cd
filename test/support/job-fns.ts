import type { JobControl } from '../../src/index.js';
import type { FakeClock } from './fake-clock.js';

/** Settles only when the run's signal aborts, rejecting with the signal's reason. */
export function untilAborted(ctrl: JobControl): Promise<never> {
  return new Promise<never>((_resolve, reject) => {
    if (ctrl.signal.aborted) {
      reject(ctrl.signal.reason as Error);
      return;
    }

    ctrl.signal.addEventListener('abort', () => reject(ctrl.signal.reason as Error), {
      once: true,
    });
  });
}

/** A promise that never settles: a job that ignores its signal. */
export function neverSettles(): Promise<never> {
  return new Promise<never>(() => undefined);
}

/** Throws any value at all, as careless user code does. */
export function throwValue(value: unknown): never {
  throw value;
}

/** A promise with its resolve and reject functions exposed. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

/** Creates a {@link Deferred}. */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });

  return { promise, resolve, reject };
}

/** Records the fake instant of every call, and can make each call last `durationMs`. */
export class RunRecorder {
  readonly startsMs: number[] = [];
  readonly endsMs: number[] = [];
  readonly scheduledMs: number[] = [];
  /** Start instants on the steady clock, which wall-clock jumps do not move. */
  readonly steadyStartsMs: number[] = [];
  readonly #clock: FakeClock;
  readonly #durationMs: number;

  constructor(clock: FakeClock, durationMs = 0) {
    this.#clock = clock;
    this.#durationMs = durationMs;
  }

  /** The job function: records the start, lasts `durationMs`, records the end. */
  readonly fn = async (ctrl: JobControl): Promise<void> => {
    this.startsMs.push(this.#clock.now());
    this.steadyStartsMs.push(this.#clock.monotonic());
    this.scheduledMs.push(ctrl.scheduledAt.getTime());
    if (this.#durationMs > 0) await this.#clock.sleep(this.#durationMs);
    this.endsMs.push(this.#clock.now());
  };

  get runs(): number {
    return this.startsMs.length;
  }

  /** Start instants relative to `originMs`. */
  startsFrom(originMs: number): number[] {
    return this.startsMs.map((ms) => ms - originMs);
  }
}

/** A job that keeps the control of its latest run and runs until its signal aborts. */
export class ControlCapture {
  #latest: JobControl | undefined;

  /** The job function. */
  readonly fn = (ctrl: JobControl): Promise<never> => {
    this.#latest = ctrl;
    return untilAborted(ctrl);
  };

  /** The control of the latest run; throws when no run has started yet. */
  get ctrl(): JobControl {
    if (this.#latest === undefined) throw new Error('the job has not started a run');
    return this.#latest;
  }
}
