/**
 * Worker-thread entry of the load watchdog (compiled next to the child as
 * load-watchdog.mjs). It reads CPU and the fire count at the window's edges, on time even
 * when the library holds the main thread, and posts them. If the main thread has not
 * cancelled it by the deadline, it summarises the shared recorder itself, writes the result
 * line straight to the process's stdout and ends the process: a library that never yields
 * still gets its figures.
 */
import { writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { RESULT_MARKER } from '../core/result-marker.js';
import { buildLoadResult } from '../scenarios/load-result.js';
import type { WindowSample } from '../scenarios/load-result.js';
import { nowMs } from './clock.js';
import { cpuSample } from './cpu.js';
import { summarizeRecorded, TOTAL } from './fire-recorder.js';
import type { WatchdogData } from './window-watch.js';

const data = workerData as WatchdogData;
const port = parentPort;
let edges: { start?: WindowSample; end?: WindowSample } = {};

function sample(): WindowSample {
  return { ...cpuSample(), fires: Atomics.load(data.state.counts, TOTAL) };
}

function at(atMs: number, then: () => void): void {
  setTimeout(then, Math.max(0, atMs - nowMs()));
}

function reportForStalledMainThread(): void {
  const end = edges.end ?? sample();
  const result = buildLoadResult({
    ...data.parts,
    afterWindow: undefined,
    lateness: summarizeRecorded(data.state),
    start: edges.start ?? end,
    end,
    counts: data.state.counts,
    stopOutcome: 'not stopped: the main thread was still busy at the deadline',
    mainThreadStalled: true,
  });
  writeSync(1, `${RESULT_MARKER}${JSON.stringify(result)}\n`);
  process.kill(process.pid, 'SIGKILL');
}

port?.once('message', () => process.exit(0));
at(data.startMs, () => {
  edges = { start: sample() };
  at(data.endMs, () => {
    edges = { ...edges, end: sample() };
    port?.postMessage(edges);
  });
});
at(data.deadlineMs, reportForStalledMainThread);
