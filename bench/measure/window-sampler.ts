import { Worker } from 'node:worker_threads';

/** Process CPU, wall time and fires counted, read together at one instant. */
export interface WindowSample {
  cpuUs: number;
  wallMs: number;
  fires: number;
}

/** The window's two edges, as the sampler thread read them. */
export interface WindowSamples {
  start: WindowSample;
  end: WindowSample;
}

// Plain JavaScript, evaluated in the worker: no loader, no bundle. `process.cpuUsage()` is
// the whole process's, so a worker reads the same figure the main thread would.
const SAMPLER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { counter, startMs, endMs } = workerData;
const nowMs = () => performance.timeOrigin + performance.now();
const sample = () => {
  const usage = process.cpuUsage();
  return { cpuUs: usage.user + usage.system, wallMs: nowMs(), fires: Atomics.load(counter, 0) };
};
const at = (ms, then) => setTimeout(then, Math.max(0, ms - nowMs()));
at(startMs, () => {
  const start = sample();
  at(endMs, () => parentPort.postMessage({ start, end: sample() }));
});
`;

/**
 * Reads CPU and the fire counter at the window's edges from a worker thread, on time even
 * when the library under test keeps the main thread busy past the window. `counter` is the
 * shared fire counter of a {@link FireRecorder}.
 */
export function sampleWindow(
  counter: Int32Array,
  startMs: number,
  endMs: number,
): Promise<WindowSamples> {
  const worker = new Worker(SAMPLER_SOURCE, {
    eval: true,
    workerData: { counter, startMs, endMs },
  });

  return new Promise((resolve, reject) => {
    worker.once('message', (samples: WindowSamples) => {
      resolve(samples);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
