import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLog } from '../../examples/demo/event-log.js';
import {
  createCheckJob,
  createDemoJobs,
  createReportJob,
  createScanJob,
  type DemoContext,
} from '../../examples/demo/jobs.js';
import { writeReport, buildReport } from '../../examples/demo/report/report-file.js';
import type { ScanInput } from '../../examples/demo/scan/run-scan.js';
import { JobStatus, Orbit, type JobConfig, type JobState } from '../../src/index.js';
import { createFakeClock, type FakeClock } from '../support/fake-clock.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/demo/', import.meta.url));

const TZ_INPUT: ScanInput = {
  label: 'mini.zi',
  paths: [join(FIXTURES, 'mini.zi')],
  baseDir: FIXTURES,
  analyzer: 'tz',
};

const MINI_ZI_SUMMARY = {
  kind: 'tz',
  version: '2099z',
  zones: 3,
  links: 2,
  rules: 4,
  ruleSets: 2,
  zonesByRegion: { America: 1, Asia: 1, Europe: 1 },
  zonesWithDst: 1,
  longestHistory: { zone: 'Europe/Demo', periods: 3 },
};

let clock: FakeClock;
let outDir: string;
let ctx: DemoContext;

beforeEach(async () => {
  clock = createFakeClock();
  outDir = await mkdtemp(join(tmpdir(), 'orbit-demo-test-'));
  ctx = {
    clock,
    log: new EventLog(clock),
    results: { latest: undefined },
    reportPath: join(outDir, 'summary.json'),
  };
});

afterEach(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** Requests of `node:fs` in flight, as `process.getActiveResourcesInfo()` names them. */
const FILE_IO_RESOURCE = /^(FSReq|CloseReq$|FileHandleCloseReq$)/;

/**
 * Waits, without moving fake time, until no file system request is in flight: the jobs
 * read and write real files, and fake time must not run ahead of that work.
 */
async function settleFileIo(): Promise<void> {
  const isFileIoPending = () =>
    process.getActiveResourcesInfo().some((resource) => FILE_IO_RESOURCE.test(resource));
  while (isFileIoPending()) await new Promise((resolve) => setImmediate(resolve));
}

/** Lets real time pass, a turn of the event loop at a time, while `isBusy` holds (5 s at most). */
async function waitWhile(isBusy: () => boolean): Promise<void> {
  const giveUpAt = Date.now() + 5_000;
  while (isBusy() && Date.now() < giveUpAt) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Moves fake time on in small steps until `isDone`, letting file work finish each step and,
 * when `isBusy` is given, letting a run in progress end before time moves on.
 */
async function advanceUntil(
  isDone: () => boolean,
  stepMs = 50,
  isBusy: () => boolean = () => false,
): Promise<void> {
  for (let elapsedMs = 0; elapsedMs <= 120_000; elapsedMs += stepMs) {
    await settleFileIo();
    await waitWhile(isBusy);
    if (isDone()) return;
    await clock.tick(stepMs);
  }
  throw new Error('the condition did not hold within two minutes of fake time');
}

function startPool(...jobs: JobConfig[]) {
  const pool = new Orbit({ clock }).createPool();
  for (const job of jobs) pool.addJob(job);
  pool.run();

  const state = (id: string): JobState => {
    const found = pool.getMetrics()[id];
    if (found === undefined) throw new Error(`no state for ${id}`);
    return found;
  };
  return { pool, state };
}

function labels(jobId: string): string[] {
  return ctx.log
    .all()
    .filter((event) => event.source === jobId)
    .map((event) => event.label);
}

describe('the demo scan job', () => {
  it('summarises a small tz source file', async () => {
    const scan = createScanJob(ctx, { input: TZ_INPUT, every: '1h', chunkLines: 4, paceMs: 10 });
    const { pool, state } = startPool(scan);

    await advanceUntil(() => ctx.results.latest !== undefined);

    expect(ctx.results.latest?.summary).toEqual(MINI_ZI_SUMMARY);
    expect(ctx.results.latest?.bytes).toBe(396);
    expect(state('scan').data).toMatchObject({ processed: 396, total: 396, lines: 14 });
    await pool.kill();
  });

  it('counts the words of a folder of text files and skips binary ones', async () => {
    const input: ScanInput = {
      label: 'notes',
      paths: [join(FIXTURES, 'notes')],
      baseDir: join(FIXTURES, 'notes'),
      analyzer: 'text',
    };
    const { pool } = startPool(
      createScanJob(ctx, { input, every: '1h', chunkLines: 1, paceMs: 10 }),
    );

    await advanceUntil(() => ctx.results.latest !== undefined);

    expect(ctx.results.latest?.skippedFiles).toBe(1);
    expect(ctx.results.latest?.summary).toEqual({
      kind: 'text',
      files: 2,
      lines: 5,
      words: 18,
      longestLine: { file: 'a.txt', line: 1, length: 43 },
      topWords: [
        { word: 'scanner', count: 3 },
        { word: 'pause', count: 2 },
        { word: 'allows', count: 1 },
        { word: 'checkpoint', count: 1 },
        { word: 'every', count: 1 },
      ],
    });
    await pool.kill();
  });

  it('holds still while paused at a checkpoint and finishes the same after resume', async () => {
    const scan = createScanJob(ctx, { input: TZ_INPUT, every: '1h', chunkLines: 2, paceMs: 100 });
    const { pool, state } = startPool(scan);
    await advanceUntil(() => Number(state('scan').data.lines) >= 4);

    pool.pauseJob('scan', 1_000);
    await clock.tick(300);
    const linesWhenPaused = state('scan').data.lines;
    await clock.tick(10_000);

    expect(state('scan').status).toBe(JobStatus.Paused);
    expect(state('scan').data.lines).toBe(linesWhenPaused);
    expect(linesWhenPaused).toBeLessThan(14);
    expect(ctx.results.latest).toBeUndefined();

    pool.resumeJob('scan');
    await advanceUntil(() => ctx.results.latest !== undefined);

    expect(ctx.results.latest?.summary).toEqual(MINI_ZI_SUMMARY);
    const hookLabels = labels('scan').filter((label) => label !== 'progress');
    expect(hookLabels).toEqual(['onStart', 'onPause', 'onResume', 'onSuccess']);
    await pool.kill();
  });

  it('ends without a result when stopped, and starts again from the top', async () => {
    const scan = createScanJob(ctx, { input: TZ_INPUT, every: '10s', chunkLines: 2, paceMs: 100 });
    const { pool, state } = startPool(scan);
    await advanceUntil(() => Number(state('scan').data.lines) >= 4);

    pool.stopJob('scan');
    await clock.tick(1_000);
    expect(state('scan').status).toBe(JobStatus.Stopped);
    expect(ctx.results.latest).toBeUndefined();

    pool.resumeJob('scan');
    await advanceUntil(() => ctx.results.latest !== undefined);

    expect(ctx.results.latest?.summary).toEqual(MINI_ZI_SUMMARY);
    expect(state('scan')).toMatchObject({ success: 1, failure: 0 });
    expect(labels('scan').filter((label) => label.startsWith('on'))).toEqual([
      'onStart',
      'onStop',
      'onResume',
      'onStart',
      'onSuccess',
    ]);
    await pool.kill();
  });
});

describe('the demo report and check jobs', () => {
  it('writes the latest scan to the summary file on its cron seconds', async () => {
    ctx.results.latest = {
      source: 'mini.zi',
      summary: { ...MINI_ZI_SUMMARY, kind: 'tz' },
      finishedAt: new Date(clock.now()),
      durationMs: 1_200,
      bytes: 396,
      skippedFiles: 0,
    };
    const { pool, state } = startPool(createReportJob(ctx, '*/5 * * * * *', 'mini.zi'));

    await advanceUntil(() => state('report').success === 1);

    const report = JSON.parse(await readFile(ctx.reportPath, 'utf8')) as Record<string, unknown>;
    expect(report).toMatchObject({
      writtenAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 5)).toISOString(),
      source: 'mini.zi',
      scan: { headline: 'tz 2099z: 3 zones (1 with DST rules today), 2 links, 4 rules in 2 sets' },
    });
    await pool.kill();
  });

  it('fails every third check, logs its hooks and keeps being retried', async () => {
    await writeReport(ctx.reportPath, buildReport('mini.zi', undefined, new Date(clock.now())));
    const check = createCheckJob(ctx, { every: '4s', maxAgeMs: 60_000, failEvery: 3 });
    const { pool, state } = startPool(check);

    await advanceUntil(
      () => state('check').success + state('check').failure === 6,
      50,
      () => state('check').status === 'running',
    );

    expect(state('check')).toMatchObject({ success: 4, failure: 2 });
    expect(state('check').status).not.toBe(JobStatus.Ended);
    const errors = ctx.log.all().filter((event) => event.label === 'onError');
    expect(errors.map((event) => event.text)).toEqual([
      expect.stringContaining('simulated outage on run 3'),
      expect.stringContaining('simulated outage on run 6'),
    ]);
    expect(labels('check').slice(0, 4)).toEqual(['onStart', 'onSuccess', 'finally', 'onStart']);
    await pool.kill();
  });

  it('fails the check while the summary file is missing', async () => {
    const check = createCheckJob(ctx, { every: '4s', maxAgeMs: 60_000, failEvery: 0 });
    const { pool, state } = startPool(check);

    await advanceUntil(
      () => state('check').failure === 1,
      50,
      () => state('check').status === 'running',
    );

    expect(ctx.log.all().find((event) => event.label === 'onError')?.text).toContain(
      'no summary file yet',
    );
    await pool.kill();
  });

  it('fails the check once the summary file is older than allowed', async () => {
    await writeReport(ctx.reportPath, buildReport('mini.zi', undefined, new Date(clock.now())));
    const check = createCheckJob(ctx, { every: '4s', maxAgeMs: 5_000, failEvery: 0 });
    const { pool, state } = startPool(check);

    await advanceUntil(
      () => state('check').failure === 1,
      50,
      () => state('check').status === 'running',
    );

    expect(state('check').success).toBe(2);
    expect(ctx.log.all().find((event) => event.label === 'onError')?.text).toBe(
      'run 3 failed: JOB_EXECUTION: summary file is stale: 8 s old',
    );
    await pool.kill();
  });
});

describe('the demo jobs together', () => {
  it('check the summary only once the first is written, and end with the window', async () => {
    const startAt = new Date(clock.now());
    const endAt = new Date(clock.now() + 16_000);
    const jobs = createDemoJobs(ctx, TZ_INPUT, { paceMs: 10, startAt, endAt });
    const { pool, state } = startPool(...jobs);

    await advanceUntil(
      () => jobs.every((job) => state(job.id).status === JobStatus.Ended),
      50,
      () => state('scan').status === 'running' || state('check').status === 'running',
    );

    expect(state('scan')).toMatchObject({ success: 1, failure: 0 });
    expect(state('report').success).toBe(3);
    // Checks at 6, 10 and 14 s: the third fails on purpose, none for want of a summary.
    expect(state('check')).toMatchObject({ success: 2, failure: 1 });
    const errors = ctx.log.all().filter((event) => event.label === 'onError');
    expect(errors.every((event) => event.text.includes('simulated outage'))).toBe(true);
    await pool.kill();
  });
});
