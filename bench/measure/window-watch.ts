import { Worker } from 'node:worker_threads';
import type { LoadParts, WindowSample } from '../scenarios/load-result.js';
import type { RecorderState } from './fire-recorder.js';

/** What the watchdog thread receives. */
export interface WatchdogData {
  state: RecorderState;
  startMs: number;
  endMs: number;
  /** After this instant the watchdog reports on its own. */
  deadlineMs: number;
  /** What the main thread knew when the window was set. */
  parts: Pick<LoadParts, 'registration' | 'windowSeconds' | 'before' | 'registered'>;
}

/** The running watchdog: the window's edges once read, and a way to call it off. */
export interface WindowWatch {
  edges: Promise<{ start: WindowSample; end: WindowSample }>;
  cancel(): void;
}

// The watchdog is compiled next to the child (runner/build-child.ts): children always run
// from that build.
const WATCHDOG = new URL('./load-watchdog.mjs', import.meta.url);

/** Starts the watchdog thread for one load window. */
export function watchWindow(data: WatchdogData): WindowWatch {
  const worker = new Worker(WATCHDOG, { workerData: data });
  const edges = new Promise<{ start: WindowSample; end: WindowSample }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });

  return { edges, cancel: () => worker.postMessage('cancel') };
}
