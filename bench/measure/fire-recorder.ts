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

/** Slots of {@link RecorderState.counts}. */
export const TOTAL = 0;
const KEPT = 1;
export const GRID_CHECKED = 2;
export const OFF_GRID = 3;

/**
 * Everything a recorder holds, in shared memory, so that a watchdog thread can summarise
 * it when the library under test keeps the main thread busy. Written by one thread only.
 */
export interface RecorderState {
  /** Fires seen, fires kept, grid-checked instants, off-grid instants. */
  counts: Int32Array;
  latenessMs: Float64Array;
  offsetMs: Float64Array;
  /** Window start and end (epoch ms). */
  window: Float64Array;
}

const EARLY_MS = -2;

function sharedFloats(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

/**
 * Counts every fire and keeps the lateness of those meant for instants inside a window.
 * Storage is preallocated in shared typed arrays, outside the JS heap the scenarios measure.
 */
export class FireRecorder {
  readonly state: RecorderState;
  #windowStartMs = Infinity;
  #windowEndMs = -Infinity;

  constructor(capacity: number) {
    this.state = {
      counts: new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT)),
      latenessMs: sharedFloats(capacity),
      offsetMs: sharedFloats(capacity),
      window: sharedFloats(2),
    };
  }

  /** Fires meant for instants in [startMs, endMs) are kept from now on. */
  setWindow(startMs: number, endMs: number): void {
    this.#windowStartMs = startMs;
    this.#windowEndMs = endMs;
    this.state.window[0] = startMs;
    this.state.window[1] = endMs;
  }

  /** Every fire seen so far, in or out of the window. */
  get total(): number {
    return this.state.counts[TOTAL] ?? 0;
  }

  record(intendedMs: number): void {
    const { counts, latenessMs, offsetMs } = this.state;
    // One writing thread: plain stores are enough for a reader using Atomics.load.
    counts[TOTAL]!++;
    if (intendedMs < this.#windowStartMs || intendedMs >= this.#windowEndMs) return;
    const kept = counts[KEPT] ?? 0;
    if (kept === latenessMs.length) return;
    latenessMs[kept] = nowMs() - intendedMs;
    offsetMs[kept] = intendedMs - this.#windowStartMs;
    counts[KEPT] = kept + 1;
  }

  /** Summarises the fires kept so far whose intended instant is before `endMs`. */
  summarize(endMs = this.#windowEndMs): LatenessSummary {
    return summarizeRecorded(this.state, endMs);
  }
}

/** The summary of a recorder's state, from any thread. */
export function summarizeRecorded(
  state: RecorderState,
  endMs = state.window[1] ?? NaN,
): LatenessSummary {
  const limitMs = endMs - (state.window[0] ?? NaN);
  const kept = Atomics.load(state.counts, KEPT);
  const lateness: number[] = [];
  const offsets: number[] = [];
  for (let i = 0; i < kept; i++) {
    const offsetMs = state.offsetMs[i] ?? 0;
    if (offsetMs >= limitMs) continue;
    lateness.push(state.latenessMs[i] ?? 0);
    offsets.push(offsetMs);
  }

  return summarizeLateness(lateness, offsets, limitMs);
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
