/** Counts of the instants checked against the promised grid. */
export interface GridCounts {
  checked: number;
  /** Instants that were not the first one plus a whole number of periods. */
  offGrid: number;
}

/** Every this many jobs one is checked: the check needs per-job state, kept off the rest. */
export const GRID_SAMPLE_EVERY = 64;

const TOLERANCE_MS = 0.5;

/**
 * Wraps a job body so that each intended instant the scheduler reports is checked against
 * the grid of the first one (first + k · period). Lateness is measured against the reported
 * instant, so a scheduler that let its grid drift would otherwise hide the drift.
 */
export function gridChecked(
  run: (intendedMs: number) => void,
  periodMs: number,
  counts: GridCounts,
): (intendedMs: number) => void {
  let anchorMs = NaN;

  return (intendedMs) => {
    if (Number.isNaN(anchorMs)) anchorMs = intendedMs;
    else {
      counts.checked++;
      const remainderMs = Math.abs(intendedMs - anchorMs) % periodMs;
      if (remainderMs > TOLERANCE_MS && remainderMs < periodMs - TOLERANCE_MS) counts.offGrid++;
    }
    run(intendedMs);
  };
}
