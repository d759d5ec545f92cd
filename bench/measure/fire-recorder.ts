import { nowMs } from './clock.js';

/** Lateness figures of the fires whose intended instant fell in the window. */
export interface LatenessSummary {
  /** Fires recorded in the window. */
  fires: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  minMs: number;
  /**
   * Drift: median lateness of the second half of the window minus that of the first half,
   * per second between the halves' middles. Medians keep single GC pauses out of it.
   */
  slopeMsPerS: number;
  /** Fires that arrived more than 2 ms before their intended instant. */
  earlyFires: number;
}

const EARLY_MS = -2;

/**
 * Counts every fire and keeps the lateness of those meant for instants inside a window.
 * Storage is preallocated in typed arrays, outside the JS heap that the scenarios measure.
 */
export class FireRecorder {
  #latenessMs: Float64Array;
  #offsetMs: Float64Array;
  #kept = 0;
  #windowStartMs = Infinity;
  #windowEndMs = -Infinity;
  /** Every fire seen, in or out of the window; shared so a sampler thread can read it. */
  readonly counter = new Int32Array(new SharedArrayBuffer(4));

  constructor(capacity: number) {
    this.#latenessMs = new Float64Array(capacity);
    this.#offsetMs = new Float64Array(capacity);
  }

  /** Fires meant for instants in [startMs, endMs) are kept from now on. */
  setWindow(startMs: number, endMs: number): void {
    this.#windowStartMs = startMs;
    this.#windowEndMs = endMs;
  }

  /** Every fire seen so far, in or out of the window. */
  get total(): number {
    return this.counter[0] ?? 0;
  }

  record(intendedMs: number): void {
    // One writing thread: a plain increment is enough for a reader using Atomics.load.
    this.counter[0]!++;
    if (intendedMs < this.#windowStartMs || intendedMs >= this.#windowEndMs) return;
    if (this.#kept === this.#latenessMs.length) return;
    this.#latenessMs[this.#kept] = nowMs() - intendedMs;
    this.#offsetMs[this.#kept] = intendedMs - this.#windowStartMs;
    this.#kept++;
  }

  /** Summarises the fires kept so far whose intended instant is before `endMs`. */
  summarize(endMs = this.#windowEndMs): LatenessSummary {
    const limitMs = endMs - this.#windowStartMs;
    const lateness: number[] = [];
    const offsets: number[] = [];
    for (let i = 0; i < this.#kept; i++) {
      const offsetMs = this.#offsetMs[i] ?? 0;
      if (offsetMs >= limitMs) continue;
      lateness.push(this.#latenessMs[i] ?? 0);
      offsets.push(offsetMs);
    }

    return summarizeLateness(lateness, offsets, limitMs);
  }
}

function summarizeLateness(
  lateness: number[],
  offsetsMs: number[],
  windowMs: number,
): LatenessSummary {
  const sorted = Float64Array.from(lateness).sort();

  return {
    fires: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length > 0 ? (sorted[sorted.length - 1] ?? NaN) : NaN,
    minMs: sorted.length > 0 ? (sorted[0] ?? NaN) : NaN,
    slopeMsPerS: drift(lateness, offsetsMs, windowMs),
    earlyFires: lateness.filter((ms) => ms < EARLY_MS).length,
  };
}

function drift(lateness: number[], offsetsMs: number[], windowMs: number): number {
  const halfMs = windowMs / 2;
  const first = lateness.filter((_, i) => (offsetsMs[i] ?? 0) < halfMs);
  const second = lateness.filter((_, i) => (offsetsMs[i] ?? 0) >= halfMs);
  const median = (values: number[]): number => percentile(Float64Array.from(values).sort(), 0.5);

  return (median(second) - median(first)) / (halfMs / 1000);
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(fraction * sorted.length) - 1;

  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? NaN;
}
