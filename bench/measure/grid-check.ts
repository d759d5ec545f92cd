import { GRID_CHECKED, OFF_GRID } from './fire-recorder.js';

/** Every this many jobs one is checked: the check needs per-job state, kept off the rest. */
export const GRID_SAMPLE_EVERY = 64;

const TOLERANCE_MS = 0.5;

/**
 * Wraps a job body so that each intended instant the scheduler reports is checked against
 * the grid of the first one (first + k · period). Lateness is measured against the reported
 * instant, so a scheduler that let its grid drift would otherwise hide the drift. The
 * counts go to the recorder's shared `counts` (slots GRID_CHECKED and OFF_GRID).
 */
export function gridChecked(
  run: (intendedMs: number) => void,
  periodMs: number,
  counts: Int32Array,
): (intendedMs: number) => void {
  let anchorMs = NaN;

  return (intendedMs) => {
    if (Number.isNaN(anchorMs)) anchorMs = intendedMs;
    else {
      counts[GRID_CHECKED]!++;
      const remainderMs = Math.abs(intendedMs - anchorMs) % periodMs;
      if (remainderMs > TOLERANCE_MS && remainderMs < periodMs - TOLERANCE_MS) counts[OFF_GRID]!++;
    }
    run(intendedMs);
  };
}
