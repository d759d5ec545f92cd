import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Adapter, BenchScheduler, ScheduleSpec } from '../core/bench-job.js';
import type { BenchConfig } from '../core/bench-config.js';
import { nowMs, waitUntil } from '../measure/clock.js';
import { FireRecorder, type LatenessSummary } from '../measure/fire-recorder.js';
import { forcedMemorySample } from '../measure/heap.js';
import { registerJobs, stopWithin, type Registration } from './register.js';
import { everySecond } from './load.js';

/** What one churn run measures. */
export interface ChurnResult extends Registration {
  churnedJobs: number;
  churnMs: number;
  /** Runs of churned jobs (each lives one turn of the event loop). */
  churnedRuns: number;
  /** Heap after the churn minus heap before it, forced GC both times. */
  heapAfterChurnBytes: number;
  /** Lateness of the steady jobs' fires meant for instants during the churn (at least 1 s). */
  steadyLateness: LatenessSummary;
  stopOutcome: string;
}

export const CHURNED_JOBS = 100_000;
const BATCH = 1_000;
const SETTLE_MS = 2_000;
const FAR_MS = 60_000;

/**
 * N steady jobs due every second; meanwhile 100,000 more are added in batches of 1,000, each
 * batch removed after the next batch is in, one turn of the event loop later. Churned
 * interval jobs start a minute later, so that no library runs them (Orbit would run an
 * interval job without `startAt` at once); churned cron jobs may fire on a whole second.
 */
export async function runChurn(config: BenchConfig, adapter: Adapter): Promise<ChurnResult> {
  const recorder = new FireRecorder(config.jobCount * 60);
  const scheduler = adapter.create({ maxWorkers: 1_000 });
  const schedule = everySecond(config.kind);
  scheduler.start();
  const registration = registerJobs(scheduler, config.jobCount, (index) => ({
    id: `steady-${index}`,
    schedule,
    run: (intendedMs) => recorder.record(intendedMs),
  }));
  await waitUntil(nowMs() + SETTLE_MS);
  const before = forcedMemorySample();

  const churnStartMs = nowMs();
  recorder.setWindow(churnStartMs, Infinity);
  const churnedSchedule = {
    ...schedule,
    ...(schedule.type === 'interval' && { firstAtMs: churnStartMs + FAR_MS }),
  };
  const churnedRuns = await churn(scheduler, churnedSchedule);
  const churnEndMs = nowMs();
  await waitUntil(Math.max(churnEndMs, churnStartMs + 1_000) + SETTLE_MS);
  const after = forcedMemorySample();
  const stopOutcome = await stopWithin(scheduler);

  return {
    ...registration,
    churnedJobs: CHURNED_JOBS,
    churnMs: churnEndMs - churnStartMs,
    churnedRuns,
    heapAfterChurnBytes: after.heapUsedBytes - before.heapUsedBytes,
    steadyLateness: recorder.summarize(Math.max(churnEndMs, churnStartMs + 1_000)),
    stopOutcome,
  };
}

async function churn(scheduler: BenchScheduler, schedule: ScheduleSpec): Promise<number> {
  let runs = 0;
  const run = (): void => {
    runs++;
  };
  let previous: string[] = [];
  for (let batch = 0; batch < CHURNED_JOBS / BATCH; batch++) {
    const ids = Array.from({ length: BATCH }, (_, index) => `churn-${batch}-${index}`);
    for (const id of ids) scheduler.add({ id, schedule, run });
    for (const id of previous) scheduler.remove(id);
    previous = ids;
    await nextTurn();
  }
  for (const id of previous) scheduler.remove(id);

  return runs;
}
