import type { BenchJob, BenchScheduler } from '../../core/bench-job.js';
import { nowMs } from '../../measure/clock.js';
import { MinHeap, type HeapItem } from './min-heap.js';
import { scheduleSteps } from './schedule-steps.js';

interface HeapEntry extends HeapItem {
  stepMs: number;
  job: BenchJob;
}

interface PendingRun {
  job: BenchJob;
  intendedMs: number;
}

/**
 * The floor the benchmark compares against: a binary min-heap of jobs and one `setTimeout`
 * armed for the earliest, due jobs fired in a loop, the next instant being the intended one
 * plus the period (no drift). Runs past `maxWorkers` in flight wait in a FIFO queue.
 */
export class BareHeapScheduler implements BenchScheduler {
  #heap = new MinHeap<HeapEntry>();
  #byId = new Map<string, HeapEntry>();
  #timer: NodeJS.Timeout | undefined;
  #armedForMs = Infinity;
  #seq = 0;
  #inFlight = 0;
  #queue: (PendingRun | undefined)[] = [];
  #queueHead = 0;
  #maxWorkers: number;
  #settle = (): void => {
    this.#inFlight--;
    this.#startQueued();
  };

  constructor(maxWorkers: number) {
    this.#maxWorkers = maxWorkers;
  }

  start(): void {
    this.#arm();
  }

  add(job: BenchJob): void {
    const { firstMs, stepMs } = scheduleSteps(job.schedule, nowMs());
    const entry: HeapEntry = { dueMs: firstMs, seq: this.#seq++, index: -1, stepMs, job };
    this.#heap.push(entry);
    this.#byId.set(job.id, entry);
    if (entry.dueMs < this.#armedForMs) this.#arm();
  }

  /** A removed entry leaves its timer armed: an early wake-up finds nothing due and re-arms. */
  remove(id: string): void {
    const entry = this.#byId.get(id);
    if (entry === undefined) return;
    this.#byId.delete(id);
    this.#heap.remove(entry);
  }

  stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#heap.clear();
    this.#byId.clear();

    return Promise.resolve();
  }

  #arm(): void {
    clearTimeout(this.#timer);
    const next = this.#heap.peek();
    this.#armedForMs = next?.dueMs ?? Infinity;
    if (next === undefined) return;
    this.#timer = setTimeout(this.#fireDue, Math.max(0, Math.ceil(next.dueMs - nowMs())));
  }

  #fireDue = (): void => {
    const firedAtMs = nowMs();
    for (let next = this.#heap.peek(); next !== undefined && next.dueMs <= firedAtMs;) {
      const intendedMs = next.dueMs;
      this.#heap.pop();
      if (next.stepMs === Infinity) this.#byId.delete(next.job.id);
      else {
        next.dueMs += next.stepMs;
        this.#heap.push(next);
      }
      this.#dispatch(next.job, intendedMs);
      next = this.#heap.peek();
    }
    this.#arm();
  };

  #dispatch(job: BenchJob, intendedMs: number): void {
    if (this.#inFlight >= this.#maxWorkers) this.#queue.push({ job, intendedMs });
    else this.#startRun(job, intendedMs);
  }

  #startRun(job: BenchJob, intendedMs: number): void {
    const result = job.run(intendedMs);
    if (!(result instanceof Promise)) return;
    this.#inFlight++;
    result.then(this.#settle, this.#settle);
  }

  #startQueued(): void {
    const pending = this.#queue[this.#queueHead];
    if (pending === undefined) return;
    this.#queue[this.#queueHead++] = undefined;
    if (this.#queueHead === this.#queue.length) {
      this.#queue = [];
      this.#queueHead = 0;
    }
    this.#startRun(pending.job, pending.intendedMs);
  }
}
