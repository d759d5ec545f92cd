import type { Adapter, ScheduleSpec } from '../core/bench-job.js';
import type { BenchConfig, JobKind } from '../core/bench-config.js';
import { waitUntil, wholeSecondAfter } from '../measure/clock.js';
import { cpuShare } from '../measure/cpu.js';
import { sampleWindow } from '../measure/window-sampler.js';
import { FireRecorder, type LatenessSummary } from '../measure/fire-recorder.js';
import { GRID_SAMPLE_EVERY, gridChecked, type GridCounts } from '../measure/grid-check.js';
import { forcedMemorySample } from '../measure/heap.js';
import { registerJobs, stopWithin, type Registration } from './register.js';

/** What one load run measures. */
export interface LoadResult extends Registration, LatenessSummary {
  expectedFires: number;
  /** Every expected fire arrived (by the end of the grace period) and p99 < 1 s. */
  firesOk: boolean;
  cpuSharePerWallS: number;
  cpuUsPerFire: number;
  firesPerS: number;
  heapBytesPerJob: number;
  rssBytesPerJob: number;
  /** Heap after the window minus heap after registration, per job (forced GC both times). */
  heapGrowthBytesPerJob: number;
  /** Instants reported by the scheduler for a sample of jobs, checked against their grid. */
  gridChecked: number;
  /** Of those, instants off the grid (the first instant plus whole periods). */
  offGridFires: number;
  stopOutcome: string;
}

const SETTLE_MS = 1_000;
const GRACE_MS = 2_000;
const LATE_LIMIT_MS = 1_000;
const PERIOD_MS = 1_000;

/** Schedule of the load jobs: due every second. */
export function everySecond(kind: JobKind): ScheduleSpec {
  return kind === 'interval'
    ? { type: 'interval', periodMs: PERIOD_MS }
    : { type: 'cron', expression: '* * * * * *' };
}

/**
 * N jobs due every second on a running scheduler. Lateness is kept for the fires meant for a
 * window that opens on a whole second at least 1 s after registration; CPU and the count of
 * fires delivered are read at the window's edges by a sampler thread (started after the
 * memory figures, so its own heap and threads are not counted there).
 */
export async function runLoad(config: BenchConfig, adapter: Adapter): Promise<LoadResult> {
  const seconds = config.windowMs / 1_000;
  const recorder = new FireRecorder(config.jobCount * (seconds + 1));
  const scheduler = adapter.create({ maxWorkers: 1_000 });
  const schedule = everySecond(config.kind);
  const before = forcedMemorySample();
  scheduler.start();
  const grid: GridCounts = { checked: 0, offGrid: 0 };
  const record = (intendedMs: number): void => recorder.record(intendedMs);
  const registration = registerJobs(scheduler, config.jobCount, (index) => ({
    id: `job-${index}`,
    schedule,
    run:
      index % GRID_SAMPLE_EVERY === 0
        ? gridChecked(record, PERIOD_MS, grid)
        : (intendedMs) => recorder.record(intendedMs),
  }));
  const registered = forcedMemorySample();

  const windowStartMs = wholeSecondAfter(SETTLE_MS);
  const windowEndMs = windowStartMs + config.windowMs;
  recorder.setWindow(windowStartMs, windowEndMs);
  const window = sampleWindow(recorder.counter, windowStartMs, windowEndMs);
  await waitUntil(windowEndMs + GRACE_MS);
  const { start, end } = await window;

  const lateness = recorder.summarize();
  const afterWindow = forcedMemorySample();
  const stopOutcome = await stopWithin(scheduler);
  const expectedFires = registration.registered * seconds;
  const cpuShareValue = cpuShare(start, end);
  const firesPerS = (end.fires - start.fires) / ((end.wallMs - start.wallMs) / 1_000);
  const perJob = (bytes: number): number => bytes / registration.registered;

  return {
    ...registration,
    ...lateness,
    expectedFires,
    firesOk: lateness.fires === expectedFires && lateness.p99Ms < LATE_LIMIT_MS,
    cpuSharePerWallS: cpuShareValue,
    cpuUsPerFire: (cpuShareValue * 1e6) / firesPerS,
    firesPerS,
    heapBytesPerJob: perJob(registered.heapUsedBytes - before.heapUsedBytes),
    rssBytesPerJob: perJob(registered.rssBytes - before.rssBytes),
    heapGrowthBytesPerJob: perJob(afterWindow.heapUsedBytes - registered.heapUsedBytes),
    gridChecked: grid.checked,
    offGridFires: grid.offGrid,
    stopOutcome,
  };
}
