import type { RunRecord } from './store.js';

/** A job's latest runs in a ring of fixed size: the oldest run gives way to the newest. */
export class RunHistory {
  readonly #limit: number;
  readonly #runs: RunRecord[] = [];
  #next = 0;

  /** `limit` 0 keeps nothing. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Whether any run is kept at all. */
  get keepsRuns(): boolean {
    return this.#limit > 0;
  }

  add(run: RunRecord): void {
    if (this.#limit === 0) return;
    if (this.#runs.length < this.#limit) this.#runs.push(run);
    else this.#runs[this.#next] = run;
    this.#next = (this.#next + 1) % this.#limit;
  }

  /** Copies of the kept runs, newest first, at most `limit`. */
  newestFirst(limit = Number.POSITIVE_INFINITY): RunRecord[] {
    const count = Math.min(limit, this.#runs.length);
    const runs: RunRecord[] = [];
    for (let index = 1; index <= count; index++) {
      const slot = (this.#next - index + this.#runs.length) % this.#runs.length;
      runs.push({ ...(this.#runs[slot] as RunRecord) });
    }
    return runs;
  }
}
