/**
 * Runs per second through a pool on each store, CPU-bound: a fake clock drives 1,000
 * interval jobs through 10 s of schedule, so the figure is the cost of dispatching,
 * claiming, running and recording a run, not of waiting.
 *
 *   npx tsx bench/stores/runs-per-second.ts [jobs] [seconds]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Orbit } from '../../src/orbit.js';
import type { Store } from '../../src/store/store.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { createFakeClock } from '../../test/support/fake-clock.js';

const jobs = Number(process.argv[2] ?? 1000);
const seconds = Number(process.argv[3] ?? 10);

async function measure(label: string, store: Store | undefined): Promise<void> {
  const clock = createFakeClock();
  const pool = new Orbit({ clock }).createPool(store ? { id: 'bench', store } : {});
  let runs = 0;
  for (let index = 0; index < jobs; index++) {
    pool.addJob({
      id: `job-${index}`,
      fn: () => {
        runs++;
      },
      interval: { time: 1000 },
    });
  }
  pool.run();

  const cpuBefore = process.cpuUsage();
  const startMs = performance.now();
  await clock.tick(seconds * 1000 - 1);
  const wallMs = performance.now() - startMs;
  const cpu = process.cpuUsage(cpuBefore);
  await pool.kill();

  const cpuUs = cpu.user + cpu.system;
  const perSecond = Math.round(runs / (wallMs / 1000));
  const line = `${label}: ${runs} runs in ${wallMs.toFixed(0)} ms = ${perSecond} runs/s`;
  process.stdout.write(`${line}, ${(cpuUs / runs).toFixed(2)} µs CPU per run\n`);
}

const dir = mkdtempSync(join(tmpdir(), 'orbit-bench-'));
try {
  await measure('memory (default)', undefined);
  const sqlite = new SqliteStore({ path: join(dir, 'bench.db') });
  await measure('sqlite (file, WAL, synchronous=NORMAL)', sqlite);
  sqlite.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
