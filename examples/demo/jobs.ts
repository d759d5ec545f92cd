import { basename } from 'node:path';
import type { Clock, Duration, JobConfig } from '../../src/index.js';
import type { EventLog } from './event-log.js';
import { formatBytes, formatClock, formatMs } from './format.js';
import { loggedHooks } from './logged-hooks.js';
import { checkReport } from './report/check-report.js';
import { buildReport, writeReport } from './report/report-file.js';
import { describeSummary } from './scan/analyzer.js';
import { runScan, type ScanInput } from './scan/run-scan.js';
import type { ScanResults } from './scan/scan-results.js';

/** The ids of the demo's jobs. */
export const JOB_IDS = { scan: 'scan', report: 'report', check: 'check' } as const;

/** What every demo job shares: time, the event log, the latest scan and the report file. */
export interface DemoContext {
  clock: Clock;
  log: EventLog;
  results: ScanResults;
  reportPath: string;
}

/** The batch job: what it reads and how it paces itself. */
export interface ScanJobOptions {
  input: ScanInput;
  /** How often a scan starts. */
  every: Duration;
  /** Lines read between two checkpoints. */
  chunkLines: number;
  /** Wait after each chunk, so the scan can be watched and steered. */
  paceMs: number;
}

/** The job that checks the report: how often, and how it fails. */
export interface CheckJobOptions {
  every: Duration;
  /** The report is stale when older than this. */
  maxAgeMs: number;
  /** Every n-th run fails on purpose, to show retries; 0 never. */
  failEvery: number;
}

/**
 * The batch job: reads its input in chunks, can be paused between chunks, and leaves its
 * summary in `ctx.results` for the other jobs.
 */
export function createScanJob(ctx: DemoContext, options: ScanJobOptions): JobConfig {
  const { clock, log } = ctx;
  const pacing = {
    clock,
    chunkLines: options.chunkLines,
    paceMs: options.paceMs,
    onMilestone: (percent: number, processed: number, total: number) => {
      log.add(
        JOB_IDS.scan,
        'progress',
        `${percent}%: ${formatBytes(processed)} of ${formatBytes(total)}`,
      );
    },
  };

  return {
    id: JOB_IDS.scan,
    name: `scan ${options.input.label}`,
    interval: { time: options.every },
    fn: async (ctrl) => {
      const finished = await runScan(ctrl, options.input, pacing);
      ctx.results.latest = finished;
      ctrl.saveData({ headline: describeSummary(finished.summary) });
    },
    hooks: loggedHooks(log, {
      onStart: `reading ${options.input.label}`,
      onSuccess: (ctrl) => `done: ${String(ctrl.getData().headline)}`,
      onError: 'scan failed',
      onPause: 'pause asked: taken at the next checkpoint',
      onResume: 'resumed',
      onStop: 'stopped: g starts it again',
    }),
  };
}

/** A cron job with seconds that writes what the latest scan found to `ctx.reportPath`. */
export function createReportJob(ctx: DemoContext, cron: string, source: string): JobConfig {
  return {
    id: JOB_IDS.report,
    cron,
    fn: async (ctrl) => {
      const latest = ctx.results.latest;
      await writeReport(ctx.reportPath, buildReport(source, latest, new Date(ctx.clock.now())));
      const scanned = latest === undefined ? 'none yet' : formatClock(latest.finishedAt.getTime());
      ctrl.saveData({ scanned, file: ctx.reportPath });
    },
    hooks: loggedHooks(ctx.log, {
      onSuccess: (ctrl) => {
        return `wrote ${basename(ctx.reportPath)}, latest scan: ${String(ctrl.getData().scanned)}`;
      },
      onError: 'could not write the summary',
    }),
  };
}

/**
 * A job that fails now and then and is retried for ever: it reads the report back and
 * checks that it is fresh, and every `failEvery`-th run it fails on purpose.
 */
export function createCheckJob(ctx: DemoContext, options: CheckJobOptions): JobConfig {
  let runs = 0;

  return {
    id: JOB_IDS.check,
    interval: { time: options.every },
    retry: { active: true, count: 0 },
    fn: async () => {
      runs += 1;
      if (options.failEvery > 0 && runs % options.failEvery === 0) {
        throw new Error(`simulated outage on run ${runs} (one run in ${options.failEvery} fails)`);
      }
      await checkReport(ctx.reportPath, ctx.clock.now(), options.maxAgeMs);
    },
    hooks: loggedHooks(ctx.log, {
      onStart: () => `run ${runs + 1}: reading ${basename(ctx.reportPath)} back`,
      onSuccess: () => `run ${runs}: summary file is fresh`,
      onError: () => `run ${runs} failed`,
      finally: (_ctrl, error) =>
        `run ${runs} over${error === undefined ? '' : ', retried on schedule'}`,
    }),
  };
}

/** How the demo's three jobs are tuned. */
export interface DemoTuning {
  /** Wait after each chunk the scan reads. */
  paceMs: number;
  /** The jobs start no earlier than this; the check starts a little later (see below). */
  startAt: Date;
  /** After this the jobs end; `undefined` runs them until the pool is killed. */
  endAt: Date | undefined;
}

/** The report job writes its first summary within this much of the start. */
const REPORT_CRON = '*/5 * * * * *';
const FIRST_REPORT_WITHIN_MS = 5_000;

/**
 * The demo's three jobs: the scan of `input`, the cron report of what it found, and the
 * flaky check of that report. The check starts once the first report is written, so
 * its failures are the ones it makes on purpose and the ones a stale report causes.
 */
export function createDemoJobs(
  ctx: DemoContext,
  input: ScanInput,
  tuning: DemoTuning,
): JobConfig[] {
  const window = { startAt: tuning.startAt, endAt: tuning.endAt };
  const checkStartMs = tuning.startAt.getTime() + FIRST_REPORT_WITHIN_MS + 1_000;
  const checkEndMs = tuning.endAt && Math.max(tuning.endAt.getTime(), checkStartMs);
  return [
    {
      ...createScanJob(ctx, { input, every: '20s', chunkLines: 100, paceMs: tuning.paceMs }),
      ...window,
    },
    { ...createReportJob(ctx, REPORT_CRON, input.label), ...window },
    {
      ...createCheckJob(ctx, { every: '4s', maxAgeMs: 12_000, failEvery: 2 }),
      startAt: new Date(checkStartMs),
      endAt: checkEndMs === undefined ? undefined : new Date(checkEndMs),
    },
  ];
}

/** A job's schedule, for people. */
export function describeSchedule(job: JobConfig): string {
  if (job.cron !== undefined) return `cron ${job.cron}`;
  if (job.interval === undefined) return '';

  const { time } = job.interval;
  return `every ${typeof time === 'number' ? formatMs(time) : time}`;
}
