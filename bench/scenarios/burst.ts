import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Adapter } from '../core/bench-job.js';
import type { BenchConfig } from '../core/bench-config.js';
import { nowMs, waitFor } from '../measure/clock.js';
import { registerJobs, stopWithin, type Registration } from './register.js';

/** What one burst run measures. */
export interface BurstResult extends Registration {
  started: number;
  finished: number;
  /** From the due instant until the last run finished. */
  allRunMs: number;
  /** From the due instant until the first and the last run started. */
  firstStartMs: number;
  lastStartMs: number;
  maxInFlight: number;
  /** Starts that came before a job added earlier: 0 when the order was kept. */
  outOfOrderStarts: number;
  orderKept: boolean;
  /** Registration ended after the due instant, so the burst was not one instant. */
  registrationOverran: boolean;
  stopOutcome: string;
}

export const BURST_MAX_WORKERS = 1_000;
const DEFAULT_LEAD_MS = 3_000;
const DEADLINE_MS = 60_000;

/**
 * N one-off jobs due at the same instant, with at most 1,000 runs in flight where the library
 * has such a limit. Each run takes one turn of the event loop. The order of starts is
 * compared with the order of addition.
 */
export async function runBurst(config: BenchConfig, adapter: Adapter): Promise<BurstResult> {
  const startOrder = new Int32Array(config.jobCount);
  const counts = { started: 0, finished: 0, inFlight: 0, maxInFlight: 0 };
  const times = { firstStartMs: NaN, lastStartMs: NaN, lastFinishMs: NaN };
  const scheduler = adapter.create({ maxWorkers: BURST_MAX_WORKERS });
  const atMs = Math.ceil(nowMs() + (config.leadMs ?? DEFAULT_LEAD_MS));

  const runJob = async (index: number): Promise<void> => {
    const startedAtMs = nowMs();
    if (counts.started === 0) times.firstStartMs = startedAtMs;
    times.lastStartMs = startedAtMs;
    startOrder[counts.started++] = index;
    counts.maxInFlight = Math.max(counts.maxInFlight, ++counts.inFlight);
    await nextTurn();
    counts.inFlight--;
    counts.finished++;
    times.lastFinishMs = nowMs();
  };

  scheduler.start();
  const registration = registerJobs(scheduler, config.jobCount, (index) => ({
    id: `job-${index}`,
    schedule: { type: 'once', atMs },
    run: () => runJob(index),
  }));
  const registrationOverran = nowMs() >= atMs;
  await waitFor(() => counts.finished === registration.registered, atMs + DEADLINE_MS);
  const stopOutcome = await stopWithin(scheduler);
  const outOfOrderStarts = countOutOfOrder(startOrder, counts.started);

  return {
    ...registration,
    started: counts.started,
    finished: counts.finished,
    allRunMs: times.lastFinishMs - atMs,
    firstStartMs: times.firstStartMs - atMs,
    lastStartMs: times.lastStartMs - atMs,
    maxInFlight: counts.maxInFlight,
    outOfOrderStarts,
    orderKept: outOfOrderStarts === 0 && counts.started === registration.registered,
    registrationOverran,
    stopOutcome,
  };
}

function countOutOfOrder(order: Int32Array, count: number): number {
  let outOfOrder = 0;
  for (let i = 1; i < count; i++) if ((order[i] ?? 0) < (order[i - 1] ?? 0)) outOfOrder++;

  return outOfOrder;
}
