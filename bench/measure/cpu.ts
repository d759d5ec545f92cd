import { nowMs } from './clock.js';

/** Process CPU time (user + system, all threads) and wall time, read together. */
export interface CpuSample {
  cpuUs: number;
  wallMs: number;
}

export function cpuSample(): CpuSample {
  const usage = process.cpuUsage();

  return { cpuUs: usage.user + usage.system, wallMs: nowMs() };
}

/** CPU seconds spent per wall-clock second between two samples. */
export function cpuShare(from: CpuSample, to: CpuSample): number {
  return (to.cpuUs - from.cpuUs) / 1000 / (to.wallMs - from.wallMs);
}
