import { beforeEach, describe, expect, it } from 'vitest';
import type { JobControl } from '../../../src/job/job-config.js';
import type { Pool } from '../../../src/pool/pool.js';
import { STANDBY_MS } from '../../../src/store/postgres/members.js';
import { deferred, type Deferred } from '../../support/job-fns.js';
import { settle, useFleetSchema, type FleetStore } from '../../support/postgres-fleet.js';

/*
 * Two processes, each a PostgreSQL store with a pool of the same id and the same jobs,
 * in one test process. The pools run on one fake clock, set in the past so that every tick
 * is due by the database's clock too; the test moves it from tick to tick and lets
 * the database answer in between (`settle`), so each run's instant is exact.
 */

const POOL_ID = 'fleet';
const INTERVAL_MS = 1_000;
const JOB_IDS = Array.from({ length: 12 }, (_, index) => `job-${index}`);

interface Ran {
  readonly jobId: string;
  readonly scheduledAt: number;
  readonly atMs: number;
  readonly fence: number;
  readonly process: Process;
}

interface Process {
  readonly store: FleetStore;
  readonly pool: Pool;
}

const fleet = useFleetSchema('shared');
let t0: number;
let processes: Process[];
let runs: Ran[];

beforeEach(() => {
  t0 = fleet.clock.now();
  processes = [];
  runs = [];
});

/** A process with the pool and `jobIds`, every second from `t0 + 1 s`; it runs. */
async function startProcess(
  jobIds = JOB_IDS,
  fn: (ctrl: JobControl, process: Process) => void | Promise<void> = noteRun,
): Promise<Process> {
  const store = await fleet.openStore();
  const pool = fleet.createPool(store, POOL_ID);
  const started: Process = { store, pool };
  processes.push(started);
  for (const jobId of jobIds) {
    pool.addJob({
      id: jobId,
      interval: { time: INTERVAL_MS },
      startAt: t0 + INTERVAL_MS,
      fn: (ctrl: JobControl) => fn(ctrl, started),
    });
  }
  pool.run();
  return started;
}

function noteRun(ctrl: JobControl, process: Process): void {
  const { jobId, fence } = ctrl;
  runs.push({
    jobId,
    scheduledAt: ctrl.scheduledAt.getTime(),
    atMs: fleet.clock.now(),
    fence,
    process,
  });
}

/** Two processes, once each counts the other among the pool's members. */
async function startTwo(): Promise<[Process, Process]> {
  const pair: [Process, Process] = [await startProcess(), await startProcess()];
  await settle(fleet.clock, 'both processes to see each other', () =>
    JOB_IDS.every((jobId) => waits(pair[0], jobId) + waits(pair[1], jobId) === STANDBY_MS),
  );
  await settle(fleet.clock, 'the jobs registered', idle);
  return pair;
}

function waits(process: Process, jobId: string): number {
  return process.store.standby(POOL_ID, jobId);
}

function idle(): boolean {
  return processes.every(({ store }) => store.idle);
}

/** Whether every run has ended, so that the next tick is due where its schedule puts it. */
function noneRunning(): boolean {
  return processes.every(({ pool }) =>
    Object.values(pool.getMetrics()).every(
      (state) => (state as { status: string }).status !== 'running',
    ),
  );
}

function ranAt(jobId: string, tick: number): boolean {
  return runs.some((run) => run.jobId === jobId && run.scheduledAt === tick);
}

/**
 * Moves the clock to the `k`th tick (all jobs are due) and lets the processes run it, and
 * answer every question they asked the database.
 */
async function tick(k: number): Promise<void> {
  const at = t0 + k * INTERVAL_MS;
  await fleet.clock.tick(at - fleet.clock.now());
  await settle(
    fleet.clock,
    `tick ${k} run everywhere`,
    () => idle() && JOB_IDS.every((jobId) => ranAt(jobId, at)) && noneRunning(),
  );
}

function allClaims() {
  return processes.flatMap(({ store }) => store.claims.map((claim) => ({ ...claim, store })));
}

describe('pools of one id in two processes on PostgreSQL', () => {
  it('claim each tick once, by its first choice, at its due instant', async () => {
    const pair = await startTwo();
    const firstChoice = (jobId: string) => pair.find((process) => waits(process, jobId) === 0);
    const other = (jobId: string) => pair.find((process) => waits(process, jobId) > 0);

    // Six ticks: the waits of the first four end within them. The process standing by
    // asks the database, finds each tick taken, and claims none.
    for (let k = 1; k <= 6; k++) await tick(k);

    const ticks = [1, 2, 3, 4, 5, 6].map((k) => t0 + k * INTERVAL_MS);
    for (const jobId of JOB_IDS) {
      const ran = runs
        .filter((run) => run.jobId === jobId)
        .map(({ scheduledAt, atMs, fence, process }) => {
          return { scheduledAt, atMs, fence, byFirstChoice: process === firstChoice(jobId) };
        });
      const expected = ticks.map((at, index) => {
        return { scheduledAt: at, atMs: at, fence: index + 1, byFirstChoice: true };
      });
      expect(ran, jobId).toEqual(expected);
    }
    const claims = allClaims();
    expect(claims.filter((claim) => !claim.won)).toEqual([]);
    expect(claims).toHaveLength(JOB_IDS.length * ticks.length);
    expect(claims.every((claim) => claim.store === firstChoice(claim.jobId)?.store)).toBe(true);

    const { rows } = await fleet.db.sql.query<{ n: number; ticks: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT (job_id, scheduled_at))::int AS ticks
         FROM ${fleet.schema}.runs WHERE status = 'succeeded'`,
    );
    const everyTick = JOB_IDS.length * ticks.length;
    expect(rows[0]).toEqual({ n: everyTick, ticks: everyTick });

    // The process standing by moved each job on by its schedule: at the last look (the
    // wait of tick 4 ended with tick 6), to tick 5.
    for (const jobId of JOB_IDS) {
      const standingBy = other(jobId) as Process;
      expect(standingBy.pool.getMetrics()[jobId], jobId).toMatchObject({
        nextRun: new Date(t0 + 5 * INTERVAL_MS),
      });
    }
    expect(pair.every((process) => process.store.overdueAsked > 0)).toBe(true);
  });

  it('drop a job another process removed once a claim finds it gone, and leave the store alone', async () => {
    const pair = await startTwo();
    await tick(1);
    // A job the other process goes first for: its next claim is made there.
    const jobId = JOB_IDS.find((id) => waits(pair[1], id) === 0) as string;
    const [remover, other] = pair;
    const removed: string[] = [];
    other.pool.on('job:removed', (event) => removed.push(event.jobId));

    remover.pool.removeJob(jobId);
    const stored = async () => {
      const { rows } = await fleet.db.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${fleet.schema}.jobs WHERE pool_id = $1 AND job_id = $2`,
        [POOL_ID, jobId],
      );
      return rows[0]?.n;
    };
    for (let tries = 0; tries < 200 && (await stored()) !== 0; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await fleet.clock.tick(t0 + 2 * INTERVAL_MS - fleet.clock.now());
    await settle(fleet.clock, 'the claim answered', () => idle() && removed.length > 0);

    expect(removed).toEqual([jobId]);
    expect(other.pool.getMetrics()[jobId]).toBeUndefined();
    expect(runs.filter((run) => run.jobId === jobId).map((run) => run.scheduledAt)).toEqual([
      t0 + INTERVAL_MS,
    ]);
    // The process that dropped it wrote nothing: a job added again since keeps its row.
    remover.pool.addJob({ id: jobId, interval: { time: INTERVAL_MS }, fn: () => undefined });
    await settle(fleet.clock, 'the job added again', idle);
    expect(await stored()).toBe(1);
  });

  it('run every job at its due instant in the process that stays when the other leaves', async () => {
    const [stays, leaves] = await startTwo();
    await tick(1);

    await leaves.pool.kill();
    await leaves.store.close();
    await settle(fleet.clock, 'the one left to stand by for nothing', () =>
      JOB_IDS.every((jobId) => waits(stays, jobId) === 0),
    );
    const { rows } = await fleet.db.sql.query<{ owner: string }>(
      `SELECT owner FROM ${fleet.schema}.members`,
    );
    expect(rows.map((row) => row.owner)).toEqual([stays.store.owner]);

    for (const k of [2, 3]) await tick(k);
    for (const k of [2, 3]) {
      const ran = runs.filter((run) => run.scheduledAt === t0 + k * INTERVAL_MS);
      expect(ran.map((run) => run.jobId).sort()).toEqual([...JOB_IDS].sort());
      expect(ran.every((run) => run.process === stays && run.atMs === run.scheduledAt)).toBe(true);
    }
    // Each tick after the other left is claimed once, on time, and won. A job the one that
    // stays stood by for had not looked at tick 1 yet: its claim of that tick, already run
    // by the other, loses (the only claim that does), and the job goes on from tick 2.
    const claims = stays.store.claims;
    const later = claims.filter((claim) => claim.scheduledAt > t0 + INTERVAL_MS);
    expect(later).toHaveLength(2 * JOB_IDS.length);
    expect(later.every((claim) => claim.won && claim.atMs === claim.scheduledAt)).toBe(true);
    expect(
      claims.filter((claim) => !claim.won).every((claim) => claim.scheduledAt === t0 + INTERVAL_MS),
    ).toBe(true);
  });
});

describe('a claim that finds the job run elsewhere', () => {
  it('claims the next tick on time, not once the lease of the other run is over', async () => {
    const [jobId] = JOB_IDS as [string];
    await startProcess([jobId]);
    await settle(fleet.clock, 'the job registered', idle);
    const first = t0 + INTERVAL_MS;

    // Another process (one that runs no pool here) claims the first tick before this one.
    const elsewhere = await fleet.openStore();
    const claimed = await elsewhere.claim(POOL_ID, {
      jobId,
      scheduledAt: first,
      startedAt: first,
    });
    if (!claimed.won) throw new Error('the other process did not win the first tick');
    await fleet.clock.tick(INTERVAL_MS);
    await settle(fleet.clock, 'the claim of the held tick', () => idle() && allClaims().length > 0);
    expect(allClaims()).toMatchObject([{ scheduledAt: first, won: false }]);

    // Its run ends at once; its lease would have lasted 30 s more.
    await elsewhere.complete(POOL_ID, {
      jobId,
      fence: claimed.job.fence,
      endedAt: first + 100,
      outcome: 'success',
      error: undefined,
      status: 'waiting',
      dueAt: first + INTERVAL_MS,
      success: 1,
      failure: 0,
      retriesUsed: 0,
      data: {},
    });
    for (let ms = 0; ms <= 200 && runs.length === 0; ms += 50) {
      await fleet.clock.tick(ms === 0 ? INTERVAL_MS : 50);
      await settle(fleet.clock, 'the claims of the next tick', idle);
    }
    expect(runs).toMatchObject([{ jobId, scheduledAt: first + INTERVAL_MS }]);
    expect(runs[0]?.atMs).toBeLessThanOrEqual(first + INTERVAL_MS + 200);
    // It asked again by the next tick, not before (nor when the lease, read on the
    // database's clock, would end): its claim of the served tick found where the job went.
    const asked = allClaims().map((claim) => [claim.scheduledAt, claim.atMs, claim.won]);
    const soon = (ms: number) =>
      expect.toSatisfy((atMs: number) => atMs >= ms && atMs <= ms + 50, `at ${ms - t0}`) as number;
    expect(asked).toEqual([
      [first, first, false],
      [first, soon(first + INTERVAL_MS), false],
      [first + INTERVAL_MS, soon(first + INTERVAL_MS), true],
    ]);
  });
});

/**
 * A process with one job whose first run (tick 1) lasts until `firstRun` resolves; this
 * process then froze past its lease, and another one took the run over as lost, recorded
 * it, and moved the job on to tick 2, which it has not claimed yet.
 */
async function firstRunLostElsewhere(): Promise<{ here: Process; firstRun: Deferred<void> }> {
  const [jobId] = JOB_IDS as [string];
  const firstRun = deferred();
  const here = await startProcess([jobId], async (ctrl, process) => {
    noteRun(ctrl, process);
    if (ctrl.fence === 1) await firstRun.promise;
  });
  await settle(fleet.clock, 'the job registered', idle);
  await fleet.clock.tick(INTERVAL_MS);
  await settle(fleet.clock, 'the first run to start', () => runs.length === 1);

  const elsewhere = await fleet.openStore();
  await fleet.db.sql.query(
    `UPDATE ${fleet.schema}.jobs SET lease_expires_at = now() - interval '1 second'
      WHERE job_id = $1`,
    [jobId],
  );
  const takeOver = await elsewhere.claim(POOL_ID, {
    jobId,
    scheduledAt: t0 + INTERVAL_MS,
    startedAt: fleet.clock.now(),
  });
  expect(takeOver).toMatchObject({ won: false, lostRun: { fence: 1, outcome: 'running' } });
  const lostRecorded = await elsewhere.complete(POOL_ID, {
    jobId,
    fence: 1,
    endedAt: fleet.clock.now(),
    outcome: 'failure',
    error: { code: 'RUN_LOST', message: 'run 1 lost its lease' },
    status: 'waiting',
    dueAt: t0 + 2 * INTERVAL_MS,
    success: 0,
    failure: 1,
    retriesUsed: 1,
    data: {},
  });
  expect(lostRecorded).toBe(true);
  return { here, firstRun };
}

describe('a run end the store refuses', () => {
  it('makes the pool take the stored position, so no tick is passed over unrecorded', async () => {
    const { firstRun } = await firstRunLostElsewhere();

    // The run here ends late, past two more ticks; the store refuses its end.
    await fleet.clock.tick(2.5 * INTERVAL_MS);
    firstRun.resolve();
    await settle(fleet.clock, 'the next run', () => idle() && runs.length === 2);
    expect(runs[1]).toMatchObject({
      scheduledAt: t0 + 2 * INTERVAL_MS,
      atMs: fleet.clock.now(),
      fence: 2,
    });

    // Tick 2 ran after tick 3 fell due: tick 4 runs next, and its record counts the tick
    // passed over.
    await fleet.clock.tick(INTERVAL_MS / 2);
    await settle(
      fleet.clock,
      'the runs recorded',
      async () => idle() && (await runRecords()).length === 3,
    );
    expect(runs.map((run) => run.scheduledAt - t0)).toEqual([1, 2, 4].map((k) => k * INTERVAL_MS));
    expect(await runRecords()).toEqual([
      [1, 'lost', 0],
      [2, 'succeeded', 0],
      [4, 'succeeded', 1],
    ]);
  });

  it('sends the pool back to the stored tick when its next claim went out first', async () => {
    const { here, firstRun } = await firstRunLostElsewhere();

    // The run here ends past tick 3, and its next tick (4) falls due before the store's
    // refusal of that end comes back.
    await fleet.clock.tick(2.5 * INTERVAL_MS);
    const releaseEnds = here.store.holdCompletes();
    firstRun.resolve();
    await fleet.clock.tick(INTERVAL_MS / 2);
    await settle(fleet.clock, 'the next run', () => runs.length === 2);
    releaseEnds();
    await settle(
      fleet.clock,
      'the runs recorded',
      async () => idle() && (await runRecords()).length === 2,
    );

    // Tick 2 runs late, at tick 4's instant; ticks 3 and 4 go on the record of the next run.
    expect(runs[1]).toMatchObject({ scheduledAt: t0 + 2 * INTERVAL_MS, fence: 2 });
    await fleet.clock.tick(INTERVAL_MS);
    await settle(
      fleet.clock,
      'the run after',
      async () => idle() && (await runRecords()).length === 3,
    );
    expect(await runRecords()).toEqual([
      [1, 'lost', 0],
      [2, 'succeeded', 0],
      [5, 'succeeded', 2],
    ]);
  });
});

/** The run records: tick (in intervals from `t0`), status, ticks passed over before it. */
async function runRecords(): Promise<[number, string, number][]> {
  const { rows } = await fleet.db.sql.query<{ tick: Date; status: string; skipped: number }>(
    `SELECT scheduled_at AS tick, status, skipped_before AS skipped FROM ${fleet.schema}.runs
      ORDER BY scheduled_at`,
  );
  return rows.map((row) => [(row.tick.getTime() - t0) / INTERVAL_MS, row.status, row.skipped]);
}
