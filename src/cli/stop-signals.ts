/** The signals that ask `orbit run` to stop. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Listens for SIGINT and SIGTERM while a command runs: the first asks for a graceful
 * stop, a second one to hurry. While listened to, the signals no longer end the process.
 */
export class StopSignals {
  /** Resolves with the name of the first signal. */
  readonly first: Promise<string>;
  /** Resolves with the name of the second signal. */
  readonly hurry: Promise<string>;

  readonly #process: NodeJS.EventEmitter;
  #count = 0;
  #onFirst: (signal: string) => void = () => undefined;
  #onSecond: (signal: string) => void = () => undefined;

  constructor(process: NodeJS.EventEmitter) {
    this.#process = process;
    this.first = new Promise((resolve) => (this.#onFirst = resolve));
    this.hurry = new Promise((resolve) => (this.#onSecond = resolve));
    for (const signal of STOP_SIGNALS) process.on(signal, this.#received);
  }

  /** Stops listening: the signals act as they would without this. */
  dispose(): void {
    for (const signal of STOP_SIGNALS) this.#process.off(signal, this.#received);
  }

  readonly #received = (signal: string): void => {
    this.#count++;
    if (this.#count === 1) this.#onFirst(signal);
    else this.#onSecond(signal);
  };
}
