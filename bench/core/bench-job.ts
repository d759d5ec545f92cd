/** When a benchmark job is due. */
export type ScheduleSpec =
  | {
      type: 'interval';
      periodMs: number;
      /** First due instant; without it the library's own default applies. */
      firstAtMs?: number;
    }
  | { type: 'cron'; expression: string }
  | { type: 'once'; atMs: number };

/** A job as every scenario describes it, whatever library runs it. */
export interface BenchJob {
  id: string;
  schedule: ScheduleSpec;
  /**
   * The job body. `intendedMs` is the instant this run was meant for (epoch ms), or NaN when
   * neither the library nor the adapter can tell.
   */
  run: (intendedMs: number) => unknown;
}

/** The few operations every scenario needs from a scheduler. */
export interface BenchScheduler {
  /** Called once, before any job is added; jobs are always added to a running scheduler. */
  start(): void;
  add(job: BenchJob): void;
  remove(id: string): void;
  stop(): Promise<void>;
}

/** Which schedule types an adapter can run. */
export type ScheduleType = ScheduleSpec['type'];

/** One scheduler library, or a reference, wrapped for the benchmark. */
export interface Adapter {
  create(options: { maxWorkers: number }): BenchScheduler;
}
