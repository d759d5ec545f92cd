/**
 * The demo as a jobs module for `orbit run`; `npm start` runs it with the web dashboard
 * on. It schedules the three demo jobs (see `jobs.ts`) on the real clock, with a fresh
 * folder for the summary file.
 *
 * On a terminal the jobs run until Ctrl-C. Otherwise (piped, as in CI) they end after
 * `ORBIT_DEMO_SECONDS` (15 by default), and `orbit run` exits by itself once they have.
 */
import { join } from 'node:path';
import { systemClock } from '../../src/index.js';
import { bundledInput, freshOutDir } from './demo-setup.js';
import { EventLog } from './event-log.js';
import { createDemoJobs, type DemoContext } from './jobs.js';

const PIPED_SECONDS = 15;

function endOfRun(startMs: number): Date | undefined {
  const text = process.env.ORBIT_DEMO_SECONDS;
  const seconds = text === undefined ? undefined : Number(text);
  if (seconds !== undefined && !(seconds > 0)) {
    throw new Error(`ORBIT_DEMO_SECONDS takes a positive number of seconds; got '${text}'`);
  }
  const bound = seconds ?? (process.stdout.isTTY ? undefined : PIPED_SECONDS);
  return bound === undefined ? undefined : new Date(startMs + bound * 1_000);
}

const ctx: DemoContext = {
  clock: systemClock,
  log: new EventLog(systemClock),
  results: { latest: undefined },
  reportPath: join(freshOutDir(), 'summary.json'),
};
const startMs = systemClock.now();
const input = bundledInput(process.env.INIT_CWD ?? process.cwd());

export default {
  pool: { id: 'demo', maxWorkers: 4 },
  jobs: createDemoJobs(ctx, input, {
    paceMs: 150,
    startAt: new Date(startMs),
    endAt: endOfRun(startMs),
  }),
};
