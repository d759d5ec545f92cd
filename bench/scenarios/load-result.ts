import type { MemorySample } from '../measure/heap.js';
import { cpuShare, type CpuSample } from '../measure/cpu.js';
import { GRID_CHECKED, OFF_GRID, type LatenessSummary } from '../measure/fire-recorder.js';
import type { Registration } from './register.js';

/** Process CPU, wall time and fires counted, read together at one edge of the window. */
export interface WindowSample extends CpuSample {
  fires: number;
}

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
  /** The library held the main thread past the deadline: the watchdog thread reported. */
  mainThreadStalled: boolean;
  stopOutcome: string;
}

/** Everything a load result is made of, gathered by the main thread or the watchdog. */
export interface LoadParts {
  registration: Registration;
  windowSeconds: number;
  before: MemorySample;
  registered: MemorySample;
  /** Undefined when the main thread stalled: no forced GC could run after the window. */
  afterWindow: MemorySample | undefined;
  lateness: LatenessSummary;
  start: WindowSample;
  end: WindowSample;
  counts: Int32Array;
  stopOutcome: string;
  mainThreadStalled: boolean;
}

const LATE_LIMIT_MS = 1_000;

export function buildLoadResult(parts: LoadParts): LoadResult {
  const { registration, lateness, start, end, before, registered, afterWindow } = parts;
  const expectedFires = registration.registered * parts.windowSeconds;
  const cpuShareValue = cpuShare(start, end);
  const firesPerS = (end.fires - start.fires) / ((end.wallMs - start.wallMs) / 1_000);
  const perJob = (bytes: number): number => bytes / registration.registered;
  const growth =
    afterWindow === undefined ? NaN : afterWindow.heapUsedBytes - registered.heapUsedBytes;

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
    heapGrowthBytesPerJob: perJob(growth),
    gridChecked: Atomics.load(parts.counts, GRID_CHECKED),
    offGridFires: Atomics.load(parts.counts, OFF_GRID),
    mainThreadStalled: parts.mainThreadStalled,
    stopOutcome: parts.stopOutcome,
  };
}
