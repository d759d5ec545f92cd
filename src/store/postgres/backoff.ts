/**
 * Delays between attempts after failures: doubling from `minMs` up to `maxMs`, each drawn
 * at random from its upper half so that processes that failed together do not retry in
 * step.
 */
export class Backoff {
  readonly #minMs: number;
  readonly #maxMs: number;
  #failures = 0;

  constructor(minMs: number, maxMs: number) {
    this.#minMs = minMs;
    this.#maxMs = maxMs;
  }

  /** Failures since the last success. */
  get failures(): number {
    return this.#failures;
  }

  /** The delay before the next attempt, after one more failure. */
  nextDelayMs(): number {
    const ceilingMs = Math.min(this.#maxMs, this.#minMs * 2 ** this.#failures);
    this.#failures++;
    return ceilingMs / 2 + Math.random() * (ceilingMs / 2);
  }

  /** An attempt succeeded. */
  reset(): void {
    this.#failures = 0;
  }
}
