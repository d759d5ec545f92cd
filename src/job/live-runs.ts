import type { Run } from './run.js';

/**
 * The runs in progress. Every run enters and leaves once, usually within one tick, so a
 * `Set` would rehash under that churn: an array where each run knows its own index costs
 * one store to add and one swap to remove, and allocates nothing.
 */
export class LiveRuns implements Iterable<Run> {
  readonly #runs: Run[] = [];

  get size(): number {
    return this.#runs.length;
  }

  add(run: Run): void {
    run.liveIndex = this.#runs.length;
    this.#runs.push(run);
  }

  /** Removes `run`; a no-op when it is not live. */
  delete(run: Run): void {
    const index = run.liveIndex;
    if (index < 0 || this.#runs[index] !== run) return;

    const last = this.#runs.pop() as Run;
    if (last !== run) {
      this.#runs[index] = last;
      last.liveIndex = index;
    }
    run.liveIndex = -1;
  }

  /** The live runs in no particular order; a copy, so runs may end during the loop. */
  [Symbol.iterator](): Iterator<Run> {
    return this.#runs.slice()[Symbol.iterator]();
  }
}
