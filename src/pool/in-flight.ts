/**
 * Counts operations under way (store calls answered with a promise), and lets a caller
 * wait until none is left: the pool's `kill` waits for its claims and writes this way.
 */
export class InFlight {
  #count = 0;
  readonly #waiting: (() => void)[] = [];

  started(): void {
    this.#count++;
  }

  /** An operation settled; those waiting for none to be left go on when it was the last. */
  ended(): void {
    if (--this.#count > 0) return;
    for (const resume of this.#waiting.splice(0)) resume();
  }

  /** Resolves once no operation is under way. */
  async settled(): Promise<void> {
    while (this.#count > 0) await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
}
