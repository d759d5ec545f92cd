import { afterEach, describe, expect, it } from 'vitest';
import { Orbit } from '../../src/orbit.js';
import type { JobConfig, JobControl } from '../../src/job/job-config.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type {
  ClaimResult,
  JobDefinition,
  OverdueJobs,
  Registration,
  RunClaim,
  Store,
  StoreWatcher,
} from '../../src/store/store.js';
import { asyncStore } from '../support/async-store.js';
import { createFakeClock, type FakeClock } from '../support/fake-clock.js';
import { stateOf, type Pool } from '../support/harness.js';
import { deferred } from '../support/job-fns.js';
import { recordingLogger, type LogLine } from '../support/recording-logger.js';
import { OrbitError } from '../../src/errors/orbit-error.js';

/*
 * A store that processes share says, per job, whether this process is the tick's first
 * choice (`Store.standby`). A pool claims the ticks it is first choice for when they fall
 * due. The others stand by off the dispatcher: once a tick has been due for the standby
 * time, the pool asks the store which ticks are still unclaimed (`Store.overdue`), claims
 * those, and moves the rest on to their next ticks by their own schedules.
 */

const POOL_ID = 'fleet';
const STANDBY_MS = 2_000;
const INTERVAL_MS = 10_000;

interface Claimed {
  readonly jobId: string;
  readonly scheduledAt: number;
  readonly atMs: number;
}

/**
 * A memory store that another process shares: this process stands by for the jobs in
 * `standingBy`. It notes every claim and every question about overdue ticks, answers
 * those as the PostgreSQL store does (by its own state), and can run a tick "elsewhere",
 * which tells the pools here nothing, as on PostgreSQL.
 */
class SharedStore extends MemoryStore {
  readonly claims: Claimed[] = [];
  /** The instant of each `overdue` question. */
  readonly asked: number[] = [];
  readonly standingBy = new Set<string>();
  /** The instant of each `standby` question, by job. */
  readonly standbyAsked = new Map<string, number[]>();
  readonly #jobIds = new Set<string>();
  readonly #clock: FakeClock;
  readonly #watchers: StoreWatcher[] = [];

  constructor(clock: FakeClock) {
    super();
    this.#clock = clock;
  }

  standby(_poolId: string, jobId: string): number {
    this.standbyAsked.set(jobId, [...(this.standbyAsked.get(jobId) ?? []), this.#clock.now()]);
    return this.standingBy.has(jobId) ? STANDBY_MS : 0;
  }

  override register(poolId: string, definition: JobDefinition): Registration {
    this.#jobIds.add(definition.jobId);
    return super.register(poolId, definition);
  }

  overdue(poolId: string, dueBy: number): Promise<OverdueJobs> {
    this.asked.push(this.#clock.now());
    const jobIds: string[] = [];
    const dueAts: number[] = [];
    for (const jobId of this.#jobIds) {
      const stored = super.job(poolId, jobId);
      if (stored?.status !== 'waiting' || stored.dueAt === undefined) continue;
      if (stored.dueAt > dueBy) continue;
      jobIds.push(jobId);
      dueAts.push(stored.dueAt);
    }
    return Promise.resolve({ jobIds, dueAts, runningIds: [], leaseEndsInMs: undefined });
  }

  override claim(poolId: string, claim: RunClaim): ClaimResult {
    const { jobId, scheduledAt } = claim;
    this.claims.push({ jobId, scheduledAt, atMs: this.#clock.now() });
    return super.claim(poolId, claim);
  }

  override watch(poolId: string, watcher: StoreWatcher): () => void {
    this.#watchers.push(watcher);
    return super.watch(poolId, watcher);
  }

  /** Another process claims and runs the tick at `scheduledAt`; the job moves to `nextDueAt`. */
  runElsewhere(jobId: string, scheduledAt: number, nextDueAt: number): void {
    const nowMs = this.#clock.now();
    const claimed = super.claim(POOL_ID, { jobId, scheduledAt, startedAt: nowMs });
    if (!claimed.won) throw new Error(`the tick ${scheduledAt} of ${jobId} was taken`);
    const { fence, success, failure, retriesUsed } = claimed.job;
    this.complete(POOL_ID, {
      jobId,
      fence,
      endedAt: nowMs,
      outcome: 'success',
      error: undefined,
      status: 'waiting',
      dueAt: nextDueAt,
      success: success + 1,
      failure,
      retriesUsed,
      data: {},
    });
  }

  /** Another process joined or left: this process goes first for `jobIds` from now on. */
  changeMembers(jobIds: string[]): void {
    for (const jobId of jobIds) this.standingBy.delete(jobId);
    for (const watcher of this.#watchers) watcher.membersChanged();
  }

  claimsOf(jobId: string): [scheduledAt: number, atMs: number][] {
    return this.claims
      .filter((claim) => claim.jobId === jobId)
      .map((claim) => [claim.scheduledAt, claim.atMs]);
  }
}

interface Setup {
  clock: FakeClock;
  store: SharedStore;
  pool: Pool;
  t0: number;
  /** The tick each run served, by job, with the instant it started. */
  runs: Map<string, [scheduledAt: number, atMs: number][]>;
  job: (id: string, extra?: Partial<JobConfig>) => void;
}

/**
 * When a claim of the tick due at `dueMs` that stood by is made: once the standby time is
 * over, on the pool's next timer (a timer fires a millisecond later at the earliest).
 */
function afterStandby(dueMs: number): number {
  const earliestMs = dueMs + STANDBY_MS;
  return expect.toSatisfy(
    (atMs: number) => atMs >= earliestMs && atMs <= earliestMs + 1,
    `${STANDBY_MS} ms after ${dueMs}`,
  ) as number;
}

let pools: Pool[] = [];

afterEach(async () => {
  for (const pool of pools) await pool.kill({ timeout: 0 });
  pools = [];
});

/**
 * A running pool on a {@link SharedStore} that stands by for `standingBy`; `answering`
 * gives the store the pool talks to (the shared store itself unless told otherwise).
 */
function setup(standingBy: string[] = [], answering = (store: SharedStore): Store => store): Setup {
  const clock = createFakeClock();
  const store = new SharedStore(clock);
  for (const jobId of standingBy) store.standingBy.add(jobId);
  const pool = new Orbit({ clock }).createPool({ id: POOL_ID, store: answering(store) });
  pools.push(pool);
  const runs = new Map<string, [number, number][]>();

  const job = (id: string, extra: Partial<JobConfig> = {}) => {
    runs.set(id, []);
    pool.addJob({
      id,
      interval: { time: INTERVAL_MS },
      fn: (ctrl: JobControl) => {
        runs.get(id)?.push([ctrl.scheduledAt.getTime(), clock.now()]);
      },
      ...extra,
    });
  };
  return { clock, store, pool, t0: clock.now(), runs, job };
}

describe('a pool whose store shares jobs with other processes', () => {
  it('claims its first-choice ticks when due, the others 2 s after they fell due, and takes over a job its first choice leaves', async () => {
    const { clock, store, pool, t0, runs, job } = setup(['theirs']);
    job('mine');
    job('theirs');
    pool.run();

    await clock.tick(STANDBY_MS - 1);
    expect(store.claimsOf('mine')).toEqual([[t0, t0]]);
    expect(store.claimsOf('theirs')).toEqual([]);

    await clock.tick(2);
    expect(store.claimsOf('theirs')).toEqual([[t0, afterStandby(t0)]]);
    expect(runs.get('theirs')).toEqual([[t0, afterStandby(t0)]]);

    // The wait does not shift the grid: the next tick is due 10 s after the last one. The
    // first choice never claimed `theirs`, so this process took it over and claims its next
    // tick when due.
    await clock.tick(INTERVAL_MS);
    const next = t0 + INTERVAL_MS;
    expect(store.claimsOf('mine')).toEqual([
      [t0, t0],
      [next, next],
    ]);
    expect(store.claimsOf('theirs')).toEqual([
      [t0, afterStandby(t0)],
      [next, next],
    ]);

    // Once another process runs the job again (this one's claim of that tick loses), this
    // one stands by for it again.
    const third = next + INTERVAL_MS;
    store.runElsewhere('theirs', third, third + INTERVAL_MS);
    await clock.tick(INTERVAL_MS + STANDBY_MS + 1);
    expect(store.claimsOf('theirs')).toHaveLength(3);
    expect(runs.get('theirs')).toHaveLength(2);
    await clock.tick(INTERVAL_MS);
    expect(store.claimsOf('theirs')).toEqual([
      [t0, afterStandby(t0)],
      [next, next],
      [third, third],
      [third + INTERVAL_MS, afterStandby(third + INTERVAL_MS)],
    ]);
  });

  it('waits the standby time from each tick, with one timer for them all', async () => {
    const { clock, store, pool, t0, job } = setup(['a', 'b', 'c']);
    job('a');
    job('b', { startAt: t0 + 700 });
    job('c', { startAt: t0 + 1_300 });
    pool.run();

    await clock.tick(1_500);
    // All three left the dispatcher's queue and wait on the standby queue's one timer.
    expect(clock.pendingTimers()).toBe(1);
    // The first in line leaves the wait early: its tick ran elsewhere.
    store.runElsewhere('a', t0, t0 + INTERVAL_MS);

    await clock.tick(STANDBY_MS + 1_300 - 1_500 + 1);
    expect(store.claimsOf('a')).toEqual([]);
    expect(store.claimsOf('b')).toEqual([[t0 + 700, afterStandby(t0 + 700)]]);
    expect(store.claimsOf('c')).toEqual([[t0 + 1_300, afterStandby(t0 + 1_300)]]);
    // One question to the store at the end of each wait, for the whole pool.
    expect(store.asked).toEqual([t0 + STANDBY_MS, t0 + 700 + STANDBY_MS, t0 + 1_300 + STANDBY_MS]);
  });

  it('claims a standing-by tick at once when runNow asks for it here', async () => {
    const { clock, store, pool, t0, runs, job } = setup(['theirs']);
    job('theirs');
    pool.run();
    await clock.tick(500);

    pool.runNow('theirs');
    await clock.flush();
    expect(store.claimsOf('theirs')).toEqual([[t0, t0 + 500]]);
    expect(runs.get('theirs')).toEqual([[t0, t0 + 500]]);

    // The wait it left ends with no second claim, and its next tick stands by again.
    await clock.tick(INTERVAL_MS + STANDBY_MS);
    const next = t0 + INTERVAL_MS;
    expect(store.claimsOf('theirs')).toEqual([
      [t0, t0 + 500],
      [next, afterStandby(next)],
    ]);
  });

  it('claims a tick asked for here once, though the store answers after the wait', async () => {
    let held: Promise<void> | undefined;
    const { clock, store, pool, t0, runs, job } = setup(['theirs'], (shared) =>
      asyncStore(shared, () => held),
    );
    job('theirs');
    pool.run();
    await clock.tick(STANDBY_MS - 100);

    // The store answers the claim asked for here only after the wait would have ended.
    const answer = deferred();
    held = answer.promise;
    pool.runNow('theirs');
    await clock.tick(200);
    held = undefined;
    answer.resolve();
    await clock.flush();

    expect(store.claimsOf('theirs')).toEqual([[t0, t0 + STANDBY_MS + 100]]);
    expect(runs.get('theirs')).toEqual([[t0, t0 + STANDBY_MS + 100]]);
  });

  it.for([
    ['outlasted', STANDBY_MS],
    ['ended within', 500],
  ] as const)(
    'stands by again for the first tick after a stop that %s the wait',
    async ([, stoppedMs]) => {
      const { clock, store, pool, t0, job } = setup(['theirs']);
      job('theirs');
      pool.run();
      await clock.tick(500);

      pool.stopJob('theirs');
      await clock.tick(stoppedMs);
      pool.resumeJob('theirs');
      await clock.tick(INTERVAL_MS + STANDBY_MS);

      const next = t0 + INTERVAL_MS;
      expect(store.claimsOf('theirs')).toEqual([[next, afterStandby(next)]]);
    },
  );

  it('does not claim a tick another process ran meanwhile, and waits for the next', async () => {
    const { clock, store, pool, t0, runs, job } = setup(['theirs']);
    job('theirs');
    pool.run();
    await clock.tick(500);

    store.runElsewhere('theirs', t0, t0 + INTERVAL_MS);
    // Nothing tells this process of the run: it learns at the end of the wait that the
    // tick was taken, and moves the job on by its schedule.
    expect(stateOf(pool, 'theirs')).toMatchObject({ nextRun: new Date(t0) });
    await clock.tick(STANDBY_MS - 500);
    expect(stateOf(pool, 'theirs')).toMatchObject({
      status: 'waiting',
      nextRun: new Date(t0 + INTERVAL_MS),
    });

    await clock.tick(INTERVAL_MS - 1);
    expect(store.claims).toEqual([]);
    await clock.tick(2);
    const next = t0 + INTERVAL_MS;
    expect(store.claimsOf('theirs')).toEqual([[next, afterStandby(next)]]);
    expect(runs.get('theirs')).toEqual([[next, afterStandby(next)]]);
  });

  it('follows a job that another process runs on time, tick after tick, without a claim', async () => {
    const { clock, store, pool, t0, job } = setup(['theirs']);
    job('theirs');
    pool.run();
    await clock.tick(100);

    for (let tick = 0; tick < 3; tick++) {
      const dueMs = t0 + tick * INTERVAL_MS;
      store.runElsewhere('theirs', dueMs, dueMs + INTERVAL_MS);
      await clock.tick(INTERVAL_MS);
    }
    expect(store.claims).toEqual([]);
    // Its position follows the schedule. Its counts are the runs this process saw; the
    // store holds the pool's (`store.job`).
    expect(stateOf(pool, 'theirs')).toMatchObject({
      nextRun: new Date(t0 + 3 * INTERVAL_MS),
      success: 0,
    });
    expect(store.job(POOL_ID, 'theirs')).toMatchObject({ success: 3 });
    // One question per tick, and one timer, armed to the end of the next tick's wait.
    expect(store.asked).toHaveLength(3);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('claims on time a job it goes first for once the processes change', async () => {
    const { clock, store, pool, t0, job } = setup(['theirs']);
    job('theirs');
    pool.run();
    await clock.tick(100);
    store.runElsewhere('theirs', t0, t0 + INTERVAL_MS);

    // The first choice left: this process goes first for the job from now on. It has not
    // looked since the tick ran elsewhere, so its claim of that tick loses and finds the
    // job's next one.
    store.changeMembers(['theirs']);
    await clock.tick(INTERVAL_MS);
    const next = t0 + INTERVAL_MS;
    expect(store.claimsOf('theirs')).toEqual([
      [t0, t0 + 100],
      [next, next],
    ]);
  });

  it('stands by at once for a job another process goes first for after a change, before it is due', async () => {
    const { clock, store, pool, t0, runs, job } = setup();
    job('mine', { startAt: t0 + 1_000 });
    pool.run();
    await clock.tick(100);

    store.standingBy.add('mine');
    store.changeMembers([]);
    await clock.tick(1_000 + STANDBY_MS);
    expect(store.claimsOf('mine')).toEqual([[t0 + 1_000, afterStandby(t0 + 1_000)]]);
    expect(runs.get('mine')).toEqual([[t0 + 1_000, afterStandby(t0 + 1_000)]]);
  });

  it('places a job another process goes first for when it is scheduled, so its ticks never reach the dispatcher', async () => {
    const { clock, store, pool, t0, job } = setup(['before', 'after']);
    job('before', { startAt: t0 + 1_000 });
    pool.run();
    job('after', { startAt: t0 + 1_000 });
    // Asked once each, when scheduled: not at the tick, nor at the ticks after.
    expect(store.standbyAsked).toEqual(
      new Map([
        ['before', [t0]],
        ['after', [t0]],
      ]),
    );

    for (let tick = 0; tick < 3; tick++) {
      const dueMs = t0 + 1_000 + tick * INTERVAL_MS;
      store.runElsewhere('before', dueMs, dueMs + INTERVAL_MS);
      store.runElsewhere('after', dueMs, dueMs + INTERVAL_MS);
      await clock.tick(INTERVAL_MS);
    }
    expect(store.claims).toEqual([]);
    expect(store.standbyAsked.get('before')).toEqual([t0]);
    expect(store.standbyAsked.get('after')).toEqual([t0]);
  });

  it('stands by again when the processes change but another still goes first', async () => {
    const { clock, store, pool, t0, job } = setup(['theirs']);
    job('theirs');
    pool.run();
    await clock.tick(500);

    store.changeMembers([]);
    await clock.tick(STANDBY_MS);
    expect(store.claimsOf('theirs')).toEqual([[t0, afterStandby(t0)]]);
  });

  it('asks the store once for a hundred jobs whose ticks ran elsewhere, and claims none', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `theirs-${i}`);
    const { clock, store, pool, t0, job } = setup(ids);
    for (const id of ids) job(id);
    pool.run();
    await clock.tick(100);
    for (const id of ids) store.runElsewhere(id, t0, t0 + INTERVAL_MS);

    await clock.tick(STANDBY_MS);
    expect(store.asked).toEqual([t0 + STANDBY_MS]);
    expect(store.claims).toEqual([]);
    for (const id of ids) {
      expect(stateOf(pool, id)).toMatchObject({ nextRun: new Date(t0 + INTERVAL_MS) });
    }
  });

  it('claims a tick whose first choice never took it at the position the store holds', async () => {
    const { clock, store, pool, t0, runs, job } = setup(['theirs']);
    job('theirs');
    pool.run();
    await clock.tick(100);
    // Its first choice ran the first tick, then went away before the second.
    store.runElsewhere('theirs', t0, t0 + INTERVAL_MS);

    await clock.tick(INTERVAL_MS + STANDBY_MS);
    const next = t0 + INTERVAL_MS;
    expect(store.claimsOf('theirs')).toEqual([[next, afterStandby(next)]]);
    expect(runs.get('theirs')).toEqual([[next, afterStandby(next)]]);
  });

  it('logs a failed question to the store and asks again a second later', async () => {
    const lines: LogLine[] = [];
    const clock = createFakeClock();
    const store = new SharedStore(clock);
    store.standingBy.add('theirs');
    let failures = 1;
    const answering: Store = {
      ...asyncStore(store),
      overdue: (poolId, dueBy) =>
        failures-- > 0
          ? Promise.reject(new OrbitError('STORE_UNAVAILABLE', 'the database is down'))
          : store.overdue(poolId, dueBy),
    };
    const pool = new Orbit({ clock, logger: recordingLogger(lines) }).createPool({
      id: POOL_ID,
      store: answering,
    });
    pools.push(pool);
    const t0 = clock.now();
    pool.addJob({ id: 'theirs', interval: { time: INTERVAL_MS }, fn: () => undefined });
    pool.run();

    await clock.tick(STANDBY_MS + 1);
    expect(store.claims).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: expect.stringContaining('overdue') as string,
      }),
    );
    await clock.tick(1_000);
    expect(store.asked).toEqual([t0 + STANDBY_MS + 1_000]);
    expect(store.claimsOf('theirs')).toEqual([[t0, afterStandby(t0 + 1_000)]]);
  });

  it('looks less often when the store is slow to answer', async () => {
    const { clock, store, pool, t0, job } = setup(['a', 'b'], (shared) => ({
      ...asyncStore(shared),
      // Each answer takes 100 ms, as a question over a very large pool might.
      overdue: (poolId, dueBy) =>
        new Promise((resolve) => {
          const answer = shared.overdue(poolId, dueBy);
          clock.setTimeout(() => resolve(answer), 100);
        }),
    }));
    job('a');
    job('b', { startAt: t0 + 500 });
    pool.run();

    await clock.tick(STANDBY_MS + 500 + 100);
    // The wait of b ended 400 ms after the first question; the next waits 20 × 100 ms.
    expect(store.asked).toEqual([t0 + STANDBY_MS]);
    await clock.tick(1_500);
    expect(store.asked).toEqual([t0 + STANDBY_MS, t0 + STANDBY_MS + 2_000]);
  });

  it('claims each tick once its wait is over when the store cannot say which are overdue', async () => {
    const { clock, store, pool, t0, job } = setup(['theirs'], (shared) => ({
      ...asyncStore(shared),
      overdue: undefined,
    }));
    job('theirs');
    pool.run();
    await clock.tick(100);
    store.runElsewhere('theirs', t0, t0 + INTERVAL_MS);

    await clock.tick(STANDBY_MS);
    expect(store.asked).toEqual([]);
    // The claim loses (the tick ran elsewhere) and the job waits for its next tick.
    expect(store.claimsOf('theirs')).toEqual([[t0, afterStandby(t0)]]);
    expect(stateOf(pool, 'theirs')).toMatchObject({ nextRun: new Date(t0 + INTERVAL_MS) });
  });

  it('claims nothing after kill, and leaves no standby timer behind', async () => {
    const { clock, store, pool, job } = setup(['theirs']);
    job('theirs');
    pool.run();
    await clock.tick(500);

    await pool.kill();
    expect(clock.pendingTimers()).toBe(0);
    await clock.tick(2 * STANDBY_MS);
    expect(store.claims).toEqual([]);
  });
});
