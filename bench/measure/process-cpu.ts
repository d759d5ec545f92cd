import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process CPU time in clock ticks of 10 ms (`getconf CLK_TCK` = 100). */
const TICK_US = 10_000;

/** CPU time (user + system) a process has used so far, in µs; 0 once it is gone. */
function processCpuUs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: the fields after it start past its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_US;
  } catch {
    return 0;
  }
}

/** The pids of every PostgreSQL server process on this machine (Linux only). */
function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres')
        pids.push(Number(entry));
    } catch {
      // The process ended while the list was read.
    }
  }
  return pids;
}

/** CPU used by a set of processes and by the PostgreSQL server, at one instant, in µs. */
export interface CpuReading {
  readonly workers: Map<number, number>;
  readonly postgres: Map<number, number>;
}

/** Reads the CPU time of `workerPids` and of every PostgreSQL process. */
export function readCpu(workerPids: readonly number[]): CpuReading {
  const read = (pids: readonly number[]) => new Map(pids.map((pid) => [pid, processCpuUs(pid)]));
  return { workers: read(workerPids), postgres: read(postgresPids()) };
}

/**
 * CPU spent between two readings, in µs: by the workers and by PostgreSQL (its backends
 * that started in between count from zero). `undefined` where /proc cannot be read.
 */
export function cpuBetween(
  from: CpuReading,
  to: CpuReading,
): { workersUs: number; postgresUs: number } | undefined {
  if (from.postgres.size === 0) return undefined;
  const spent = (before: Map<number, number>, after: Map<number, number>) => {
    let total = 0;
    for (const [pid, us] of after) total += us - (before.get(pid) ?? 0);
    return total;
  };
  return {
    workersUs: spent(from.workers, to.workers),
    postgresUs: spent(from.postgres, to.postgres),
  };
}
