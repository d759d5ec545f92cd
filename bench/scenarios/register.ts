import type { BenchJob, BenchScheduler } from '../core/bench-job.js';
import { nowMs } from '../measure/clock.js';
import { cpuSample } from '../measure/cpu.js';

/** How registration went. */
export interface Registration {
  registered: number;
  registrationMs: number;
  /** CPU time of the process during registration: less sensitive to a busy machine. */
  registrationCpuMs: number;
  /** Registration stopped at the cap before all jobs were in. */
  capped: boolean;
}

const REGISTRATION_CAP_MS = 20_000;
const CHECK_EVERY = 1024;

/** Adds `count` jobs in one synchronous loop, stopping at 20 s. */
export function registerJobs(
  scheduler: BenchScheduler,
  count: number,
  makeJob: (index: number) => BenchJob,
): Registration {
  const start = cpuSample();
  const done = (registered: number, capped: boolean): Registration => {
    const end = cpuSample();
    const registrationCpuMs = (end.cpuUs - start.cpuUs) / 1000;

    return { registered, registrationMs: end.wallMs - start.wallMs, registrationCpuMs, capped };
  };
  for (let index = 0; index < count; index++) {
    scheduler.add(makeJob(index));
    if (index % CHECK_EVERY !== CHECK_EVERY - 1) continue;
    if (nowMs() - start.wallMs > REGISTRATION_CAP_MS) return done(index + 1, true);
  }

  return done(count, false);
}

/** Stops the scheduler, giving up after `timeoutMs` so a hung library cannot hold the run. */
export async function stopWithin(scheduler: BenchScheduler, timeoutMs = 5_000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`stop did not finish in ${timeoutMs} ms`), timeoutMs);
  });
  const stopped = scheduler.stop().then(
    () => 'stopped',
    (error: unknown) => `stop failed: ${String(error)}`,
  );
  const outcome = await Promise.race([stopped, timedOut]);
  clearTimeout(timer);

  return outcome;
}
