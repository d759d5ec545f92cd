import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';
import { seededRandom } from '../../support/seeded-random.js';
import { CHAOS_PERIOD_MS, CHAOS_POOL, CONTROLLED_JOB } from './chaos/chaos-plan.js';

/*
 * Several processes, each with a real Orbit pool on the PostgreSQL store, share the same
 * jobs at one tick a second. First, a job running in one process is paused, resumed and
 * stopped from others. Then a driver SIGKILLs some processes (restarting them) and freezes
 * others with SIGSTOP/SIGCONT, at random from a seed. Afterwards the run history must
 * show: no tick run twice; every tick whose run finished ran exactly once; no tick missing
 * without a record (a run that died with its process is recorded as RUN_LOST). The seed is
 * in the test's name; ORBIT_CHAOS_SEED picks another.
 */
const SEED = Number(process.env.ORBIT_CHAOS_SEED ?? 20_260_101);
const PROCESSES = 5;
const CHAOS_MS = 30_000;
const NODE_SCRIPT = fileURLToPath(new URL('./chaos/chaos-node.ts', import.meta.url));
const TICKING = ['a', 'b', 'c', 'd', 'e', 'f'];

let db: TestDatabase;
const children = new Map<number, ChildProcess>();
const tally = { kills: 0, freezes: 0 };

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql.query(
    `CREATE TABLE chaos_effects (job_id text, tick timestamptz(3), fence bigint, pid int,
                                 event text, at timestamptz(3) DEFAULT clock_timestamp())`,
  );
});

afterAll(async () => {
  for (const child of children.values()) child.kill('SIGKILL');
  if (process.env.ORBIT_KEEP_DB === undefined) await db.drop();
  else console.log('kept', db.name);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function spawnNode(slot: number, startAtMs: number): Promise<void> {
  const child = fork(NODE_SCRIPT, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      ORBIT_CHAOS_DB: db.connectionString,
      ORBIT_CHAOS_START: String(startAtMs),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.set(slot, child);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code, signal) =>
      reject(new Error(`node ${slot} exited: ${code ?? signal}`)),
    );
  });
}

/** Sends an order to the process in `slot`; answers what its pool shows of the job. */
function order(slot: number, command: string, jobId: string): Promise<Record<string, unknown>> {
  const child = children.get(slot) as ChildProcess;
  return new Promise((resolve) => {
    child.once('message', (answer) => resolve(answer as Record<string, unknown>));
    child.send({ command, jobId });
  });
}

/** The run the driver controls was lost (its process stalled past its lease). */
class ControlledRunLost extends Error {}

/**
 * Waits until `read` gives a value. With `since`, the number of the controlled job's events
 * before the run under control began, it stops early if that run is lost.
 */
async function until<T>(
  what: string,
  read: () => Promise<T | undefined>,
  since?: number,
): Promise<T> {
  for (let waitedMs = 0; waitedMs < 15_000; waitedMs += 100) {
    const value = await read();
    if (value !== undefined) return value;
    if (since !== undefined && (await eventSeen('aborted RUN_LOST', since)) !== undefined) {
      throw new ControlledRunLost(`the controlled run was lost while waiting for ${what}`);
    }
    await sleep(100);
  }
  const events = (await controlledEvents()).map((row) => `${row.pid} ${row.event}`);
  throw new Error(`waited in vain for ${what}; the controlled job noted: ${events.join(', ')}`);
}

/** The events the controlled job noted, as `pid event`. */
async function controlledEvents(): Promise<{ pid: number; event: string }[]> {
  const { rows } = await db.sql.query<{ pid: number; event: string }>(
    `SELECT pid, event FROM chaos_effects WHERE job_id = $1 ORDER BY at`,
    [CONTROLLED_JOB],
  );
  return rows;
}

/** The process that noted `event` first, among the events after the first `since`. */
async function eventSeen(event: string, since = 0): Promise<number | undefined> {
  return (await controlledEvents()).slice(since).find((row) => row.event === event)?.pid;
}

/** The slot of the process whose pid is `pid`. */
function slotOf(pid: number): number {
  for (const [slot, child] of children) if (child.pid === pid) return slot;
  throw new Error(`no process ${pid}`);
}

/**
 * Pauses, resumes and stops the controlled job's run from three processes that do not
 * run it. A run lost before the stop (a process stalled past its lease on a loaded
 * machine) is no failure of control: the driver tries again with the job's next run.
 * Answers the runner's slot and the number of events before its run.
 */
async function controlFromElsewhere(): Promise<{ runner: number; since: number }> {
  for (let attempt = 1; ; attempt++) {
    const since = (await controlledEvents()).length;
    try {
      return { runner: await controlOneRun(since), since };
    } catch (error) {
      if (!(error instanceof ControlledRunLost) || attempt === 3) throw error;
    }
  }
}

async function controlOneRun(since: number): Promise<number> {
  const runnerPid = await until('the controlled job to start', () => eventSeen('ran', since));
  const runner = slotOf(runnerPid);
  const [pauser, resumer, stopper] = [1, 2, 3].map((step) => (runner + step) % PROCESSES) as [
    number,
    number,
    number,
  ];

  // Another process must have found the run held before it can ask for a pause.
  await sleep(1_500);
  // A process refuses the pause (JOB_NOT_RUNNING) until a claim showed it the run held.
  await until(
    'a process without the run to accept the pause',
    async () => {
      const answer = await order(pauser, 'pause', CONTROLLED_JOB);
      return answer.error === undefined ? true : undefined;
    },
    since,
  );
  await until('the pause taken', () => eventSeen('pause seen', since), since);
  await until(
    'the pause mirrored',
    async () => {
      const shown = await order(resumer, 'status', CONTROLLED_JOB);
      return shown.status === 'paused' ? true : undefined;
    },
    since,
  );
  expect(await order(resumer, 'resume', CONTROLLED_JOB)).not.toHaveProperty('error');
  await until('the run resumed', () => eventSeen('resumed', since), since);
  await order(stopper, 'stop', CONTROLLED_JOB);
  await until('the run stopped', () => eventSeen('aborted JOB_STOPPED', since));
  await until('the stop mirrored', async () => {
    const shown = await order(pauser, 'status', CONTROLLED_JOB);
    return shown.status === 'stopped' ? true : undefined;
  });
  return runner;
}

async function unleashChaos(random: () => number, startAtMs: number): Promise<void> {
  const endMs = Date.now() + CHAOS_MS;
  const frozen = new Set<number>();
  while (Date.now() < endMs) {
    await sleep(500 + random() * 1_000);
    const kill = random() < 0.5;
    // Half the kills aim at a process that holds a run, so some runs are surely lost.
    const busy = kill && random() < 0.5 ? await slotsHoldingRuns() : [];
    const slot = busy[Math.floor(random() * busy.length)] ?? Math.floor(random() * PROCESSES);
    const child = children.get(slot);
    if (child === undefined || frozen.has(slot)) continue;

    if (kill) {
      tally.kills++;
      child.removeAllListeners('exit');
      child.kill('SIGKILL');
      await sleep(200 + random() * 300);
      void spawnNode(slot, startAtMs).catch(() => undefined);
    } else {
      tally.freezes++;
      frozen.add(slot);
      child.kill('SIGSTOP');
      const frozenMs = 500 + random() * 3_500;
      setTimeout(() => {
        child.kill('SIGCONT');
        frozen.delete(slot);
      }, frozenMs);
    }
  }
  await sleep(4_500);
}

/** The slots of the processes that hold a run of a ticking job now, by the leases. */
async function slotsHoldingRuns(): Promise<number[]> {
  const { rows } = await db.sql.query<{ owner: string }>(
    `SELECT lease_owner AS owner FROM orbit.jobs
      WHERE pool_id = $1 AND job_id = ANY ($2) AND lease_owner IS NOT NULL`,
    [CHAOS_POOL, TICKING],
  );
  // An owner is `host:pid:random`.
  const pids = new Set(rows.map((row) => Number(row.owner.split(':').at(-2))));
  return [...children].filter(([, child]) => pids.has(child.pid ?? -1)).map(([slot]) => slot);
}

async function stopAll(): Promise<void> {
  const exits = [...children.values()].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGCONT');
        child.kill('SIGTERM');
      }),
  );
  await Promise.all(exits);
  children.clear();
}

interface RunRecord {
  job_id: string;
  tick_ms: string;
  status: string;
  skipped_before: number;
  error_code: string | null;
  effects: string;
}

describe(`real pools in processes that die and freeze (seed ${SEED})`, () => {
  it(
    'obey control from any process, run every tick at most once, and record every tick',
    async () => {
      const random = seededRandom(SEED);
      const startAtMs = Math.ceil(Date.now() / CHAOS_PERIOD_MS) * CHAOS_PERIOD_MS + 3_000;
      await Promise.all(Array.from({ length: PROCESSES }, (_, slot) => spawnNode(slot, startAtMs)));

      const { runner, since } = await controlFromElsewhere();
      const events = (await controlledEvents()).slice(since);
      const runnerPid = children.get(runner)?.pid;
      expect(
        events.every((row) => row.pid === runnerPid),
        'the run stayed where it was',
      ).toBe(true);

      await unleashChaos(random, startAtMs);
      await stopAll();

      const twice = await db.sql.query(
        `SELECT job_id, tick, count(*) FROM chaos_effects WHERE event = 'ran'
          GROUP BY 1, 2 HAVING count(*) > 1`,
      );
      expect(twice.rows, 'ticks executed more than once').toEqual([]);

      const rows = await runRecords();
      const finished = rows.filter((r) => r.status === 'succeeded' || r.status === 'failed');
      expect(
        finished.filter((r) => r.effects !== '1'),
        'finished runs not run once',
      ).toEqual([]);
      const lost = rows.filter((r) => r.status === 'lost');
      expect(lost.every((r) => r.error_code === 'RUN_LOST')).toBe(true);

      await expectEveryTickAccounted(rows, startAtMs);
      const count = (status: string) => rows.filter((r) => r.status === status).length;
      console.info(
        `chaos seed ${SEED}: ${tally.kills} SIGKILLs, ${tally.freezes} SIGSTOPs; ` +
          `${rows.length} runs: ${count('succeeded')} succeeded, ${count('failed')} failed, ` +
          `${lost.length} lost (RUN_LOST), ${count('stopped')} stopped at shutdown; ` +
          `${rows.reduce((n, r) => n + r.skipped_before, 0)} ticks skipped on record`,
      );
      expect(tally.kills).toBeGreaterThanOrEqual(5);
      expect(tally.freezes).toBeGreaterThanOrEqual(5);
      expect(lost.length, 'the chaos hit no run').toBeGreaterThan(0);
    },
    CHAOS_MS + 60_000,
  );
});

/**
 * The runs of the ticking jobs, in tick order: the history, and the run each job row
 * still holds for a process that was killed (lost with it, since no process is left to
 * take it over).
 */
async function runRecords(): Promise<RunRecord[]> {
  const effects = `(SELECT count(*) FROM chaos_effects e WHERE e.event = 'ran'
                     AND e.job_id = r.job_id AND e.tick = r.scheduled_at) AS effects`;
  const { rows } = await db.sql.query<RunRecord>(
    `SELECT * FROM (
       SELECT r.job_id, (extract(epoch FROM r.scheduled_at) * 1000)::bigint AS tick_ms,
              r.status, r.skipped_before, r.error_code, ${effects}
         FROM orbit.runs r WHERE r.pool_id = $1 AND r.job_id = ANY ($2)
       UNION ALL
       SELECT r.job_id, (extract(epoch FROM r.run_tick) * 1000)::bigint, 'lost',
              r.run_skipped, 'RUN_LOST', ${effects.replace('r.scheduled_at', 'r.run_tick')}
         FROM orbit.jobs r
        WHERE r.pool_id = $1 AND r.job_id = ANY ($2) AND r.lease_owner IS NOT NULL) runs
     ORDER BY job_id, tick_ms`,
    [CHAOS_POOL, TICKING],
  );
  return rows;
}

/**
 * Each job's records, in tick order, must cover its grid from the first tick on: between
 * two runs, exactly the ticks the later one says it skipped; after the last run, exactly
 * the ticks the job row holds as skipped and not yet attached to a run.
 */
async function expectEveryTickAccounted(rows: RunRecord[], startAtMs: number): Promise<void> {
  const { rows: jobs } = await db.sql.query<{
    job_id: string;
    due_ms: string;
    skipped_ticks: number;
    leased: boolean;
  }>(
    `SELECT job_id, (extract(epoch FROM due_at) * 1000)::bigint AS due_ms, skipped_ticks,
            lease_owner IS NOT NULL AS leased
       FROM orbit.jobs WHERE pool_id = $1 AND job_id = ANY ($2)`,
    [CHAOS_POOL, TICKING],
  );
  expect(jobs).toHaveLength(TICKING.length);
  for (const job of jobs) {
    const ticks = rows.filter((r) => r.job_id === job.job_id);
    let expectedMs = startAtMs;
    for (const run of ticks) {
      const tickMs = Number(run.tick_ms);
      expect((tickMs - expectedMs) / CHAOS_PERIOD_MS, `${job.job_id} before ${tickMs}`).toBe(
        run.skipped_before,
      );
      expectedMs = tickMs + CHAOS_PERIOD_MS;
    }
    if (!job.leased) {
      const pendingTicks = (Number(job.due_ms) - expectedMs) / CHAOS_PERIOD_MS;
      expect(pendingTicks, `${job.job_id} after its last run`).toBe(job.skipped_ticks);
    }
    // The fleet made progress through the chaos: on a loaded machine frozen and killed
    // processes cost ticks, so a third of the window's ticks is the bar, not all of them.
    expect(ticks.length, `${job.job_id} runs`).toBeGreaterThan(CHAOS_MS / CHAOS_PERIOD_MS / 3);
  }
}
