import type { Adapter, ScheduleSpec } from '../core/bench-job.js';
import type { BenchConfig, JobKind } from '../core/bench-config.js';
import { nowMs, waitUntil } from '../measure/clock.js';
import { cpuSample, cpuShare } from '../measure/cpu.js';
import { GcWatch } from '../measure/gc-quiet.js';
import { forcedMemorySample } from '../measure/heap.js';
import { registerJobs, stopWithin, type Registration } from './register.js';

/** What one idle run measures. */
export interface IdleResult extends Registration {
  /** CPU milliseconds spent per wall-clock second while every job waits. */
  cpuMsPerWallS: number;
  heapBytesPerJob: number;
  firesDuringIdle: number;
  /** How long the process waited for V8 to stop collecting before the window. */
  settleMs: number;
  /** Garbage collections that happened inside the window. */
  gcsDuringIdle: number;
  stopOutcome: string;
}

/**
 * After registration (and the forced collections that weigh it) V8 keeps collecting for a
 * while on its own: its memory reducer shrinks the heap about 8 s after a full collection
 * that left much of it free, and it waits for as long as JavaScript keeps running. The window
 * opens only once a whole GC_QUIET_MS, longer than that delay, passed with no collection and
 * no code of the harness running, so it measures the steady idle state; every peer and the
 * empty process settle the same way.
 */
const GC_QUIET_MS = 10_000;
const SETTLE_CAP_MS = 40_000;
const HOUR_MS = 3_600_000;
const HALF_HOUR_MS = 1_800_000;

/**
 * A schedule due once an hour whose next instant is half an hour away, so nothing is due in
 * the window: interval jobs start half an hour from now; cron jobs fire at a minute 30
 * minutes from the current one.
 */
function hourly(kind: JobKind): ScheduleSpec {
  if (kind === 'interval') {
    return { type: 'interval', periodMs: HOUR_MS, firstAtMs: nowMs() + HALF_HOUR_MS };
  }
  const minute = (new Date().getMinutes() + 30) % 60;

  return { type: 'cron', expression: `0 ${minute} * * * *` };
}

/** N jobs due once an hour; the CPU of the whole process over the window. */
export async function runIdle(config: BenchConfig, adapter: Adapter): Promise<IdleResult> {
  let fires = 0;
  const scheduler = adapter.create({ maxWorkers: 1_000 });
  const schedule = hourly(config.kind);
  const before = forcedMemorySample();
  scheduler.start();
  const registration = registerJobs(scheduler, config.jobCount, (index) => ({
    id: `job-${index}`,
    schedule,
    run: () => fires++,
  }));
  const registered = forcedMemorySample();

  const gcWatch = new GcWatch();
  const settleMs = await gcWatch.settle(GC_QUIET_MS, SETTLE_CAP_MS);
  const firesBefore = fires;
  const gcsBefore = gcWatch.count;
  const cpuStart = cpuSample();
  await waitUntil(cpuStart.wallMs + config.windowMs);
  const cpuEnd = cpuSample();
  const gcsDuringIdle = gcWatch.count - gcsBefore;
  gcWatch.stop();
  const stopOutcome = await stopWithin(scheduler);
  const perJob = registration.registered === 0 ? NaN : 1 / registration.registered;

  return {
    ...registration,
    cpuMsPerWallS: cpuShare(cpuStart, cpuEnd) * 1_000,
    heapBytesPerJob: (registered.heapUsedBytes - before.heapUsedBytes) * perJob,
    firesDuringIdle: fires - firesBefore,
    settleMs,
    gcsDuringIdle,
    stopOutcome,
  };
}
