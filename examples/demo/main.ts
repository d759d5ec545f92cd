import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Orbit, systemClock } from '../../src/index.js';
import { parseDemoArgs, USAGE, type DemoArgs } from './args.js';
import { bundledInput, freshOutDir } from './demo-setup.js';
import { EventLog } from './event-log.js';
import * as demoJobs from './jobs.js';
import { switchJob } from './keys.js';
import type { ScanInput } from './scan/run-scan.js';
import { createPaint, type Paint } from './ui/ansi.js';
import { renderJobs, type ViewModel } from './ui/frame.js';
import { LinePrinter } from './ui/line-printer.js';
import { LiveScreen } from './ui/live-screen.js';
import { waitForQuit } from './wait-for-quit.js';

const DEFAULT_DURATION_WITHOUT_TERMINAL_S = 15;
const KILL_TIMEOUT = '5s';

async function main(): Promise<void> {
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const args = readArgs(cwd);
  if (args.showHelp) {
    console.log(USAGE);
    return;
  }

  const isInteractive = process.stdout.isTTY && process.stdin.isTTY;
  const paint = createPaint(process.stdout.isTTY && process.env.NO_COLOR === undefined);
  const input = scanInput(args, cwd);
  const ctx: demoJobs.DemoContext = {
    clock: systemClock,
    log: new EventLog(systemClock),
    results: { latest: undefined },
    reportPath: join(args.outDir ?? freshOutDir(), 'summary.json'),
  };

  const startAt = new Date(systemClock.now());
  const jobs = demoJobs.createDemoJobs(ctx, input, {
    paceMs: args.paceMs,
    startAt,
    endAt: undefined,
  });
  const pool = new Orbit().createPool({ id: 'demo', maxWorkers: 4 });
  for (const job of jobs) pool.addJob(job);

  const model: ViewModel = {
    ...ctx,
    title: `scanning ${input.label}`,
    jobs: jobs.map((job) => ({
      id: job.id,
      schedule: demoJobs.describeSchedule(job),
      hasProgress: job.id === demoJobs.JOB_IDS.scan,
    })),
    readStates: () => pool.getMetrics(),
  };
  const view = isInteractive
    ? new LiveScreen(process.stdout, model, paint)
    : new LinePrinter(process.stdout, model, paint);
  const durationS =
    args.durationS ?? (isInteractive ? undefined : DEFAULT_DURATION_WITHOUT_TERMINAL_S);

  if (!isInteractive) printIntro(model, durationS);
  view.start();
  pool.run();

  const reason = await waitForQuit({
    keyboard: isInteractive ? process.stdin : undefined,
    durationS,
    onKey: (action) => {
      const pauseTimeoutMs = Math.max(1000, 2 * args.paceMs + 500);
      switchJob(pool, demoJobs.JOB_IDS.scan, action, { log: ctx.log, pauseTimeoutMs });
    },
  });

  view.notify(`${reason}: killing the pool, waiting up to ${KILL_TIMEOUT} for running jobs…`);
  process.once('SIGINT', () => quitNow(view));
  await pool.kill({ timeout: KILL_TIMEOUT });
  view.stop();
  printClosing(model, paint, reason);
}

function readArgs(cwd: string): DemoArgs {
  try {
    const args = parseDemoArgs(process.argv.slice(2), cwd);
    const missing = args.paths.find((path) => !existsSync(path));
    if (missing !== undefined) throw new Error(`no such file or folder: ${missing}`);
    return args;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
}

function scanInput(args: DemoArgs, cwd: string): ScanInput {
  if (args.paths.length === 0) return bundledInput(cwd);

  const label = args.paths.map((path) => relative(cwd, path) || '.').join(', ');
  return { label, paths: args.paths, baseDir: cwd, analyzer: 'text' };
}

function printIntro(model: ViewModel, durationS: number | undefined): void {
  console.log(`Orbit demo: ${model.title}`);
  console.log(`summary file: ${model.reportPath}`);
  console.log(
    durationS === undefined ? 'runs until stopped' : `stops by itself after ${durationS} s`,
  );
}

function printClosing(model: ViewModel, paint: Paint, reason: string): void {
  console.log(`Orbit demo stopped (${reason}); the pool is killed.\n`);
  for (const line of renderJobs(model, paint)) console.log(line);
}

/** A second Ctrl-C while the pool shuts down: leave at once, terminal restored. */
function quitNow(view: LiveScreen | LinePrinter): never {
  view.stop();
  process.exit(130);
}

await main();
