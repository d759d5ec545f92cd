import type { Adapter, ScheduleSpec } from '../core/bench-job.js';
import type { BenchConfig, JobKind } from '../core/bench-config.js';
import { waitUntil, wholeSecondAfter } from '../measure/clock.js';
import { FireRecorder } from '../measure/fire-recorder.js';
import { GRID_SAMPLE_EVERY, gridChecked } from '../measure/grid-check.js';
import { forcedMemorySample } from '../measure/heap.js';
import { watchWindow } from '../measure/window-watch.js';
import { buildLoadResult, type LoadResult } from './load-result.js';
import { registerJobs, stopWithin } from './register.js';

const SETTLE_MS = 1_000;
const GRACE_MS = 2_000;
/** How long after the grace period the watchdog waits for the main thread. */
const STALL_MS = 30_000;
const PERIOD_MS = 1_000;

/** Schedule of the load jobs: due every second. */
export function everySecond(kind: JobKind): ScheduleSpec {
  return kind === 'interval'
    ? { type: 'interval', periodMs: PERIOD_MS }
    : { type: 'cron', expression: '* * * * * *' };
}

/**
 * N jobs due every second on a running scheduler. Lateness is kept for the fires meant for a
 * window that opens on a whole second at least 1 s after registration. A watchdog thread
 * (started after the memory figures, so its heap and threads are not counted there) reads
 * CPU and the fires delivered at the window's edges, and reports on its own if the library
 * still holds the main thread 30 s after the window.
 */
export async function runLoad(config: BenchConfig, adapter: Adapter): Promise<LoadResult> {
  const windowSeconds = config.windowMs / 1_000;
  const recorder = new FireRecorder(config.jobCount * (windowSeconds + 1));
  const { counts } = recorder.state;
  const scheduler = adapter.create({ maxWorkers: 1_000 });
  const schedule = everySecond(config.kind);
  const record = (intendedMs: number): void => recorder.record(intendedMs);
  const before = forcedMemorySample();
  scheduler.start();
  const registration = registerJobs(scheduler, config.jobCount, (index) => ({
    id: `job-${index}`,
    schedule,
    run:
      index % GRID_SAMPLE_EVERY === 0
        ? gridChecked(record, PERIOD_MS, counts)
        : (intendedMs) => recorder.record(intendedMs),
  }));
  const registered = forcedMemorySample();

  const startMs = wholeSecondAfter(SETTLE_MS);
  const endMs = startMs + config.windowMs;
  recorder.setWindow(startMs, endMs);
  const watch = watchWindow({
    state: recorder.state,
    startMs,
    endMs,
    deadlineMs: endMs + GRACE_MS + STALL_MS,
    parts: { registration, windowSeconds, before, registered },
  });
  await waitUntil(endMs + GRACE_MS);
  const { start, end } = await watch.edges;
  const lateness = recorder.summarize();
  const afterWindow = forcedMemorySample();
  watch.cancel();
  const stopOutcome = await stopWithin(scheduler);

  return buildLoadResult({
    registration,
    windowSeconds,
    before,
    registered,
    afterWindow,
    lateness,
    start,
    end,
    counts,
    stopOutcome,
    mainThreadStalled: false,
  });
}
