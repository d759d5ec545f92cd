import type { Adapter } from '../core/bench-job.js';
import type { BenchConfig } from '../core/bench-config.js';
import { nowMs, waitFor } from '../measure/clock.js';
import { cpuSample } from '../measure/cpu.js';
import { forcedMemorySample } from '../measure/heap.js';
import { registerJobs, stopWithin } from './register.js';

/** Heap after a forced GC once `runs` runs had happened. */
export interface HeapCheckpoint {
  runs: number;
  heapUsedBytes: number;
  atMs: number;
  cpuUs: number;
}

/** What one endurance run measures. */
export interface EnduranceResult {
  jobs: number;
  /** Runs counted between the first and the last checkpoint. */
  measuredRuns: number;
  runsPerS: number;
  /** Process CPU between the first and the last checkpoint per run (forced GCs included). */
  cpuUsPerRun: number;
  checkpoints: HeapCheckpoint[];
  /** Heap at the last checkpoint minus heap at the first. */
  heapGrowthBytes: number;
  heapGrowthBytesPerRun: number;
  reachedTarget: boolean;
  stopOutcome: string;
}

const WARM_UP_RUNS = 100_000;
const MEASURED_RUNS = 1_000_000;
const CHECKPOINTS = 4;
const DEADLINE_MS = 120_000;
const PERIOD_MS = 1;

/**
 * `jobCount` interval jobs due every millisecond until a million runs have happened after a
 * warm-up of 100,000; the heap is read (forced GC) at evenly spaced run counts.
 */
export async function runEndurance(
  config: BenchConfig,
  adapter: Adapter,
): Promise<EnduranceResult> {
  let runs = 0;
  const scheduler = adapter.create({ maxWorkers: 1_000 });
  scheduler.start();
  registerJobs(scheduler, config.jobCount, (index) => ({
    id: `job-${index}`,
    schedule: { type: 'interval', periodMs: PERIOD_MS },
    run: () => runs++,
  }));
  const deadlineMs = nowMs() + DEADLINE_MS;
  const checkpoints: HeapCheckpoint[] = [];
  for (let step = 0; step <= CHECKPOINTS; step++) {
    const targetRuns = WARM_UP_RUNS + (MEASURED_RUNS * step) / CHECKPOINTS;
    if (!(await waitFor(() => runs >= targetRuns, deadlineMs, 5))) break;
    const runsNow = runs;
    const { cpuUs, wallMs } = cpuSample();
    const { heapUsedBytes } = forcedMemorySample();
    checkpoints.push({ runs: runsNow, heapUsedBytes, atMs: wallMs, cpuUs });
  }
  const stopOutcome = await stopWithin(scheduler);

  return summarize(config.jobCount, checkpoints, stopOutcome);
}

function summarize(
  jobs: number,
  checkpoints: HeapCheckpoint[],
  stopOutcome: string,
): EnduranceResult {
  const first = checkpoints[0];
  const last = checkpoints[checkpoints.length - 1];
  const measuredRuns = first && last ? last.runs - first.runs : 0;
  const growth = first && last ? last.heapUsedBytes - first.heapUsedBytes : NaN;
  const elapsedS = first && last ? (last.atMs - first.atMs) / 1_000 : NaN;

  return {
    jobs,
    measuredRuns,
    runsPerS: measuredRuns / elapsedS,
    cpuUsPerRun: first && last ? (last.cpuUs - first.cpuUs) / measuredRuns : NaN,
    checkpoints,
    heapGrowthBytes: growth,
    heapGrowthBytesPerRun: growth / measuredRuns,
    reachedTarget: checkpoints.length === CHECKPOINTS + 1,
    stopOutcome,
  };
}
