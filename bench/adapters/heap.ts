import type { Adapter } from '../core/bench-job.js';
import { BareHeapScheduler } from './bare-heap/bare-heap-scheduler.js';

export const adapter: Adapter = {
  create: ({ maxWorkers }) => new BareHeapScheduler(maxWorkers),
};
