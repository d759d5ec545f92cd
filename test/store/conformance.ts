import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  JobChange,
  JobDefinition,
  RunCompletion,
  Store,
  StoredJob,
} from '../../src/store/store.js';

/** A store under test, with what the suite needs around it. */
export interface StoreUnderTest {
  readonly store: Store;
  /**
   * Opens the same database again, as a process that starts after this one died would
   * (durable stores only). The suite closes what it returns.
   */
  reopen?(): Store | Promise<Store>;
  /**
   * Whether a claim takes over a live run whose lease ran out (stores with leases); the
   * suite then expects it of a store `reopen` returns.
   */
  readonly takesOverLostRuns?: boolean;
  /** Closes the store and removes what the test created (files, schemas). */
  cleanup(): void | Promise<void>;
}

/** Makes a fresh, empty store for one test. */
export type StoreFactory = (options: { historyLimit: number }) => Promise<StoreUnderTest>;

const POOL = 'conformance';
const T0 = Date.UTC(2026, 0, 1);
const HISTORY_LIMIT = 3;

function definition(jobId: string, overrides: Partial<JobDefinition> = {}): JobDefinition {
  return { jobId, name: jobId, scheduleHash: 'h1', firstDueAt: T0, ...overrides };
}

/** A successful end of the run `job` holds, moving it on a second; `overrides` change it. */
export function completion(job: StoredJob, overrides: Partial<RunCompletion> = {}): RunCompletion {
  return {
    jobId: job.jobId,
    fence: job.fence,
    endedAt: T0 + 500,
    outcome: 'success',
    error: undefined,
    status: 'waiting',
    dueAt: (job.dueAt ?? T0) + 1000,
    success: job.success + 1,
    failure: job.failure,
    retriesUsed: job.retriesUsed,
    data: {},
    ...overrides,
  };
}

/**
 * The rules every store keeps (see `src/store/store.ts`). Each store's test file calls
 * this with a factory; the suite awaits every answer, so it runs the same against
 * synchronous stores and stores that answer with promises.
 */
export function describeStoreConformance(name: string, factory: StoreFactory): void {
  describe(`${name} keeps the store contract`, () => {
    let subject: StoreUnderTest;
    let store: Store;

    beforeEach(async () => {
      subject = await factory({ historyLimit: HISTORY_LIMIT });
      store = subject.store;
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    /** Registers `jobId`, claims its first tick and answers the won claim's job. */
    async function claimFirst(jobId: string): Promise<StoredJob> {
      await store.register(POOL, definition(jobId));
      const claim = await store.claim(POOL, { jobId, scheduledAt: T0, startedAt: T0 + 1 });
      expect(claim.won).toBe(true);
      return claim.job as StoredJob;
    }

    /** The process named by the live run of `jobId`, as the history shows it. */
    async function liveNode(jobId: string): Promise<string | undefined> {
      const [live] = await store.history(POOL, jobId);
      expect(live).toMatchObject({ outcome: 'running' });
      return live?.node;
    }

    /** The run record of `fence` names `node`: the process that ran the run and lost it. */
    async function expectRunBy(opened: Store, fence: number, node: string | undefined) {
      const records = await opened.history(POOL, 'a');
      const record = records.find((each) => each.fence === fence);
      expect(record).toMatchObject({ outcome: 'failure' });
      expect(record?.node).toBe(node);
    }

    it('refuses to be asked about a job by an id no pool could give', async () => {
      const asked: [unknown, unknown][] = [
        ['', 'a'],
        [POOL, ''],
        [POOL, '   '],
        [5, null],
      ];
      for (const [poolId, jobId] of asked) {
        const refusal = { code: 'EMPTY_ID' };
        await expect(async () =>
          store.job(poolId as string, jobId as string),
        ).rejects.toMatchObject(refusal);
        await expect(async () =>
          store.history(poolId as string, jobId as string),
        ).rejects.toMatchObject(refusal);
      }
    });

    it('starts a new job at its first due instant with nothing counted', async () => {
      const registration = await store.register(POOL, definition('a'));

      expect(registration.isFresh).toBe(true);
      expect(registration.lostRun).toBeUndefined();
      expect(registration.job).toMatchObject({
        jobId: 'a',
        status: 'waiting',
        dueAt: T0,
        fence: 0,
        success: 0,
        failure: 0,
        retriesUsed: 0,
        data: {},
      });
    });

    it('keeps everything of a known job registered again with the same schedule', async () => {
      const claimed = await claimFirst('a');
      const data = { rows: 3 };
      await store.complete(POOL, completion(claimed, { data }));

      const again = await store.register(POOL, definition('a', { firstDueAt: T0 + 99_000 }));

      expect(again.isFresh).toBe(false);
      expect(again.job).toMatchObject({ status: 'waiting', dueAt: T0 + 1000, fence: 1 });
      expect(again.job).toMatchObject({ success: 1, data });
    });

    it('moves a job whose schedule changed to its new first instant, keeping its counts', async () => {
      const claimed = await claimFirst('a');
      await store.complete(POOL, completion(claimed, { status: 'ended' }));

      const changed = definition('a', { scheduleHash: 'h2', firstDueAt: T0 + 60_000 });
      const registration = await store.register(POOL, changed);

      expect(registration.isFresh).toBe(true);
      expect(registration.job).toMatchObject({ status: 'waiting', dueAt: T0 + 60_000 });
      expect(registration.job).toMatchObject({ success: 1, fence: 1, scheduleHash: 'h2' });
    });

    it('keeps a stopped job stopped when its schedule changes', async () => {
      await store.register(POOL, definition('a'));
      await store.setStatus(POOL, { jobId: 'a', status: 'stopped', dueAt: T0 });

      const changed = definition('a', { scheduleHash: 'h2', firstDueAt: T0 + 5 });
      const registration = await store.register(POOL, changed);

      expect(registration.job).toMatchObject({ status: 'stopped', dueAt: T0 + 5 });
    });

    it('grants a tick once, with a fence one higher than the last', async () => {
      await store.register(POOL, definition('a'));
      const tick = { jobId: 'a', scheduledAt: T0, startedAt: T0 };

      const first = await store.claim(POOL, tick);
      const second = await store.claim(POOL, tick);

      expect(first).toMatchObject({ won: true, job: { fence: 1, status: 'running' } });
      expect(second).toMatchObject({ won: false, job: { fence: 1, status: 'running' } });
    });

    it('grants one of many claims made at once', async () => {
      await store.register(POOL, definition('a'));
      const tick = { jobId: 'a', scheduledAt: T0, startedAt: T0 };

      const answers = await Promise.all(
        Array.from({ length: 10 }, () => Promise.resolve(store.claim(POOL, tick))),
      );

      expect(answers.filter((answer) => answer.won)).toHaveLength(1);
    });

    it('refuses a tick before the stored position', async () => {
      await store.register(POOL, definition('a'));

      const early = await store.claim(POOL, { jobId: 'a', scheduledAt: T0 - 1, startedAt: T0 });

      expect(early).toMatchObject({ won: false, job: { status: 'waiting', dueAt: T0 } });
    });

    it('grants a tick past the stored position only from the position the claim names', async () => {
      await store.register(POOL, definition('a'));
      const later = { jobId: 'a', scheduledAt: T0 + 3000, startedAt: T0 + 3000, passedOver: 3 };

      const stale = await store.claim(POOL, { ...later, from: T0 - 1000 });
      const named = await store.claim(POOL, { ...later, from: T0 });

      expect(stale).toMatchObject({ won: false, job: { status: 'waiting', dueAt: T0 } });
      expect(named).toMatchObject({ won: true, job: { status: 'running' } });
      expect(await store.history(POOL, 'a')).toMatchObject([{ scheduledAt: T0 + 3000 }]);
    });

    it('refuses a tick past the stored position to a claim that names no position', async () => {
      await store.register(POOL, definition('a'));

      const later = await store.claim(POOL, {
        jobId: 'a',
        scheduledAt: T0 + 1000,
        startedAt: T0 + 1000,
      });

      expect(later).toMatchObject({ won: false, job: { status: 'waiting', dueAt: T0 } });
      expect(await store.history(POOL, 'a')).toEqual([]);
    });

    it('refuses to run a stopped, paused or ended job', async () => {
      for (const status of ['stopped', 'paused', 'ended'] as const) {
        await store.register(POOL, definition(status));
        await store.setStatus(POOL, { jobId: status, status, dueAt: T0 });

        const claim = await store.claim(POOL, { jobId: status, scheduledAt: T0, startedAt: T0 });

        expect(claim).toMatchObject({ won: false, job: { status } });
      }
    });

    it('answers a claim of a job it does not have with no job', async () => {
      const claim = await store.claim(POOL, { jobId: 'ghost', scheduledAt: T0, startedAt: T0 });

      expect(claim).toEqual({ won: false, job: undefined });
    });

    it('writes a run end with its outcome, counts and next due instant', async () => {
      const claimed = await claimFirst('a');
      const error = { code: 'JOB_EXECUTION', message: 'boom' };
      const end = completion(claimed, { outcome: 'failure', error, success: 0, failure: 1 });

      expect(await store.complete(POOL, end)).toBe(true);

      expect(await store.job(POOL, 'a')).toMatchObject({
        status: 'waiting',
        dueAt: T0 + 1000,
        failure: 1,
        lastStartAt: T0 + 1,
        lastEndAt: T0 + 500,
        lastError: error,
      });
      const [run] = await store.history(POOL, 'a');
      expect(run).toMatchObject({ fence: 1, scheduledAt: T0, startedAt: T0 + 1 });
      expect(run).toMatchObject({ endedAt: T0 + 500, outcome: 'failure', error });
      expect(run?.node).toEqual(expect.any(String));
    });

    it("shows the latest finished run's data and error while the next run is live", async () => {
      const first = await claimFirst('a');
      const error = { code: 'JOB_EXECUTION', message: 'boom' };
      const data = { invoiced: 3 };
      await store.complete(POOL, completion(first, { outcome: 'failure', error, data }));

      const next = await store.claim(POOL, {
        jobId: 'a',
        scheduledAt: T0 + 1000,
        startedAt: T0 + 1001,
      });

      expect(next.won).toBe(true);
      expect(await store.job(POOL, 'a')).toMatchObject({
        status: 'running',
        data,
        lastError: error,
      });
    });

    it('refuses a run end with a stale fence and writes nothing', async () => {
      const claimed = await claimFirst('a');

      const stale = await store.complete(POOL, completion(claimed, { fence: 7, success: 9 }));
      await store.complete(POOL, completion(claimed));
      const twice = await store.complete(POOL, completion(claimed, { success: 9 }));

      expect([stale, twice]).toEqual([false, false]);
      expect(await store.job(POOL, 'a')).toMatchObject({ success: 1 });
    });

    it('grows the fence with every claimed run', async () => {
      await store.register(POOL, definition('a'));
      const fences: number[] = [];

      for (let tick = 0; tick < 3; tick++) {
        const scheduledAt = T0 + tick * 1000;
        const claim = await store.claim(POOL, { jobId: 'a', scheduledAt, startedAt: scheduledAt });
        const job = claim.job as StoredJob;
        fences.push(job.fence);
        await store.complete(POOL, completion(job, { dueAt: scheduledAt + 1000 }));
      }

      expect(fences).toEqual([1, 2, 3]);
    });

    it('keeps the latest runs up to its limit, newest first', async () => {
      await store.register(POOL, definition('a'));
      for (let tick = 0; tick < HISTORY_LIMIT + 2; tick++) {
        const scheduledAt = T0 + tick * 1000;
        const claim = await store.claim(POOL, { jobId: 'a', scheduledAt, startedAt: scheduledAt });
        const dueAt = scheduledAt + 1000;
        await store.complete(POOL, completion(claim.job as StoredJob, { dueAt }));
      }

      const runs = await store.history(POOL, 'a');
      const latest = await store.history(POOL, 'a', 1);

      expect(runs.map((run) => run.fence)).toEqual([5, 4, 3]);
      expect(latest.map((run) => run.fence)).toEqual([5]);
    });

    it('keeps each job its own latest runs when their ends come in one turn', async () => {
      const jobIds = ['a', 'b'];
      // `b` runs one tick more than `a`, so their histories differ.
      const firstDueAt = { a: T0 + 1000, b: T0 };
      await Promise.all(
        jobIds.map((jobId) =>
          Promise.resolve(
            store.register(POOL, definition(jobId, { firstDueAt: firstDueAt[jobId as 'a'] })),
          ),
        ),
      );
      for (let tick = 0; tick < HISTORY_LIMIT + 2; tick++) {
        const scheduledAt = T0 + tick * 1000;
        const running = tick === 0 ? ['b'] : jobIds;
        const claims = await Promise.all(
          running.map((jobId) =>
            Promise.resolve(store.claim(POOL, { jobId, scheduledAt, startedAt: scheduledAt })),
          ),
        );
        await Promise.all(
          claims.map((claim) =>
            Promise.resolve(
              store.complete(
                POOL,
                completion(claim.job as StoredJob, { dueAt: scheduledAt + 1000 }),
              ),
            ),
          ),
        );
      }

      const fences = async (jobId: string) =>
        (await store.history(POOL, jobId)).map((run) => run.fence);
      expect(await fences('a')).toEqual([4, 3, 2]);
      expect(await fences('b')).toEqual([5, 4, 3]);
    });

    it('refuses a history limit that is not a whole number, 0 or more', async () => {
      await store.register(POOL, definition('a'));
      for (const limit of [-5, 1.5, Number.NaN, '3']) {
        let thrown: unknown;
        try {
          await store.history(POOL, 'a', limit as number);
        } catch (error) {
          thrown = error;
        }
        expect(thrown, `limit ${String(limit)}`).toMatchObject({ code: 'INVALID_CONFIG' });
      }
      expect(await store.history(POOL, 'a', 0)).toEqual([]);
    });

    it('shows a live run in the history as running', async () => {
      await claimFirst('a');

      const [run] = await store.history(POOL, 'a');

      expect(run).toMatchObject({ fence: 1, outcome: 'running', endedAt: undefined });
    });

    it('records status changes with the position', async () => {
      await store.register(POOL, definition('a'));

      await store.setStatus(POOL, { jobId: 'a', status: 'stopped', dueAt: T0 + 7 });

      expect(await store.job(POOL, 'a')).toMatchObject({ status: 'stopped', dueAt: T0 + 7 });
    });

    it('records a live run that a stop closes as stopped with JOB_STOPPED', async () => {
      const claimed = await claimFirst('a');
      const error = { code: 'JOB_STOPPED', message: "job 'a' was stopped" };

      // The stop may come from another process; the run's own process then ends the run as
      // stopped, which a store that closed the run already refuses.
      await store.setStatus(POOL, { jobId: 'a', status: 'stopped', dueAt: T0 });
      const stopped = { outcome: 'stopped', status: 'stopped', error, success: 0 } as const;
      await store.complete(POOL, completion(claimed, { ...stopped, dueAt: T0 }));

      const [run] = await store.history(POOL, 'a');
      expect(run).toMatchObject({ fence: 1, outcome: 'stopped', error });
      expect(await store.job(POOL, 'a')).toMatchObject({ status: 'stopped', lastError: error });
    });

    it('forgets a removed job and its history', async () => {
      const claimed = await claimFirst('a');
      await store.complete(POOL, completion(claimed));

      await store.remove(POOL, 'a');

      expect(await store.job(POOL, 'a')).toBeUndefined();
      expect(await store.history(POOL, 'a')).toEqual([]);
      expect((await store.register(POOL, definition('a'))).isFresh).toBe(true);
    });

    it('keeps the jobs of each pool apart', async () => {
      await claimFirst('a');

      const other = await store.register('other-pool', definition('a'));

      expect(other.isFresh).toBe(true);
      expect(other.job.fence).toBe(0);
      expect(await store.job('other-pool', 'b')).toBeUndefined();
    });

    it('hands a run left live by a process that is gone back as lost, recorded as its own', async (context) => {
      if (subject.reopen === undefined) return context.skip();
      const claimed = await claimFirst('a');
      const node = await liveNode('a');

      const restarted = await subject.reopen();
      try {
        const registration = await restarted.register(POOL, definition('a'));
        expect(registration.lostRun).toMatchObject({ fence: 1, scheduledAt: T0 });
        expect(registration.lostRun).toMatchObject({ outcome: 'running' });
        expect(registration.job).toMatchObject({ status: 'running', fence: 1 });

        const end = completion(claimed, { outcome: 'failure', failure: 1, success: 0 });
        expect(await restarted.complete(POOL, end)).toBe(true);
        await expectRunBy(restarted, 1, node);
        const again = await restarted.register(POOL, definition('a'));
        expect(again.lostRun).toBeUndefined();
      } finally {
        await restarted.close();
      }
    });

    it('answers jobs registered in one turn each as if it came alone', async () => {
      const known = await claimFirst('known');
      await store.complete(POOL, completion(known, { data: { kept: true } }));
      await claimFirst('changed').then((job) => store.complete(POOL, completion(job)));

      const [fresh, same, changed, twiceFirst, twiceAgain] = await Promise.all([
        store.register(POOL, definition('new', { firstDueAt: T0 + 7_000 })),
        store.register(POOL, definition('known', { firstDueAt: T0 + 99_000 })),
        store.register(POOL, definition('changed', { scheduleHash: 'h2', firstDueAt: T0 + 5_000 })),
        store.register(POOL, definition('twice')),
        store.register(POOL, definition('twice', { scheduleHash: 'h2', firstDueAt: T0 + 3_000 })),
      ]);

      expect(fresh).toMatchObject({ isFresh: true, job: { jobId: 'new', dueAt: T0 + 7_000 } });
      expect(same).toMatchObject({ isFresh: false, job: { dueAt: T0 + 1_000, success: 1 } });
      expect(same.job.data).toEqual({ kept: true });
      expect(changed).toMatchObject({ isFresh: true, job: { dueAt: T0 + 5_000, success: 1 } });
      expect(twiceFirst).toMatchObject({ isFresh: true, job: { dueAt: T0, scheduleHash: 'h1' } });
      expect(twiceAgain).toMatchObject({ isFresh: true, job: { dueAt: T0 + 3_000 } });
      expect(await store.job(POOL, 'twice')).toMatchObject({ scheduleHash: 'h2' });
      for (const registration of [fresh, same, changed, twiceFirst, twiceAgain]) {
        expect(registration.lostRun).toBeUndefined();
      }
    });

    it('hands back as lost each live run left by a process that is gone, in one turn', async (context) => {
      if (subject.reopen === undefined) return context.skip();
      await claimFirst('a');
      await claimFirst('b');

      const restarted = await subject.reopen();
      try {
        const [a, b, c] = await Promise.all(
          ['a', 'b', 'c'].map((jobId) =>
            Promise.resolve(restarted.register(POOL, definition(jobId))),
          ),
        );
        expect(a?.lostRun).toMatchObject({ jobId: 'a', fence: 1, outcome: 'running' });
        expect(b?.lostRun).toMatchObject({ jobId: 'b', fence: 1, outcome: 'running' });
        expect(c).toMatchObject({ isFresh: true, lostRun: undefined, job: { fence: 0 } });
      } finally {
        await restarted.close();
      }
    });

    it("tells the pool's watchers of every status change, with the position", async () => {
      await store.register(POOL, definition('a'));
      const changes: JobChange[] = [];
      const unwatch = store.watch(POOL, {
        changed: (c) => changes.push(c),
        runLost: () => 1,
        membersChanged: () => 1,
      });
      try {
        await store.setStatus(POOL, { jobId: 'a', status: 'stopped', dueAt: T0 + 7 });
        await vi.waitFor(() => expect(changes).toHaveLength(1));
        expect(changes[0]).toMatchObject({ jobId: 'a', status: 'stopped', dueAt: T0 + 7 });
      } finally {
        unwatch();
      }
    });

    it('tells no watcher of another pool, nor one that stopped watching', async () => {
      await store.register(POOL, definition('a'));
      const changes: JobChange[] = [];
      const watcher = {
        changed: (c: JobChange) => changes.push(c),
        runLost: () => 1,
        membersChanged: () => 1,
      };
      const unwatchOther = store.watch('other-pool', watcher);
      store.watch(POOL, watcher)();
      const marker: JobChange[] = [];
      const unwatch = store.watch(POOL, {
        changed: (c) => marker.push(c),
        runLost: () => 1,
        membersChanged: () => 1,
      });
      try {
        await store.setStatus(POOL, { jobId: 'a', status: 'stopped', dueAt: T0 });
        await vi.waitFor(() => expect(marker).toHaveLength(1));
        expect(changes).toEqual([]);
      } finally {
        unwatch();
        unwatchOther();
      }
    });

    it('pauses and resumes a live run by command, and tells the watchers', async () => {
      const claimed = await claimFirst('a');
      await store.register(POOL, definition('idle'));
      const changes: JobChange[] = [];
      const unwatch = store.watch(POOL, {
        changed: (c) => changes.push(c),
        runLost: () => 1,
        membersChanged: () => 1,
      });
      try {
        const pause = { jobId: 'a', kind: 'pause', timeoutMs: 250 } as const;
        expect(await store.command(POOL, pause)).toBe(true);
        expect(await store.command(POOL, pause)).toBe(false);
        expect(await store.job(POOL, 'a')).toMatchObject({ status: 'paused' });
        await vi.waitFor(() => expect(changes).toHaveLength(1));
        expect(changes[0]).toMatchObject({ status: 'paused', fence: 1, pauseTimeoutMs: 250 });

        const resume = { jobId: 'a', kind: 'resume', timeoutMs: 0 } as const;
        expect(await store.command(POOL, resume)).toBe(true);
        expect(await store.command(POOL, resume)).toBe(false);
        await vi.waitFor(() => expect(changes).toHaveLength(2));
        expect(changes[1]).toMatchObject({ status: 'running', fence: 1 });
        expect(await store.complete(POOL, completion(claimed))).toBe(true);
        expect(await store.command(POOL, { ...pause, jobId: 'idle' })).toBe(false);
      } finally {
        unwatch();
      }
    });

    it("tells the watchers when a run's end stops the job", async () => {
      const claimed = await claimFirst('a');
      const changes: JobChange[] = [];
      const unwatch = store.watch(POOL, {
        changed: (c) => changes.push(c),
        runLost: () => 1,
        membersChanged: () => 1,
      });
      try {
        await store.complete(POOL, completion(claimed, { outcome: 'stopped', status: 'stopped' }));
        await vi.waitFor(() => expect(changes).toHaveLength(1));
        expect(changes[0]).toMatchObject({ jobId: 'a', status: 'stopped' });
      } finally {
        unwatch();
      }
    });

    it('takes over a run whose lease ran out at the next claim, once, recorded as its own', async (context) => {
      if (subject.reopen === undefined || subject.takesOverLostRuns !== true) return context.skip();
      await claimFirst('a');
      const node = await liveNode('a');

      const restarted = await subject.reopen();
      try {
        const tick = { jobId: 'a', scheduledAt: T0 + 1000, startedAt: T0 + 1000 };
        const first = await restarted.claim(POOL, tick);
        const second = await restarted.claim(POOL, tick);

        expect(first).toMatchObject({ won: false, lostRun: { fence: 1, scheduledAt: T0 } });
        expect(second).toMatchObject({ won: false, job: { status: 'running' } });
        expect(second).not.toHaveProperty('lostRun');
        const lost = first.won ? undefined : first.lostRun;
        const end = { outcome: 'failure', failure: 1, success: 0 } as const;
        const failed = completion({ ...(first.job as StoredJob), fence: lost?.fence ?? 0 }, end);
        expect(await restarted.complete(POOL, failed)).toBe(true);
        await expectRunBy(restarted, 1, node);
        expect(await restarted.claim(POOL, { ...tick, scheduledAt: T0 + 1000 })).toMatchObject({
          won: true,
          job: { fence: 2 },
        });
      } finally {
        await restarted.close();
      }
    });

    it('keeps state and fences for a store opened again', async (context) => {
      if (subject.reopen === undefined) return context.skip();
      const claimed = await claimFirst('a');
      await store.complete(POOL, completion(claimed, { data: { cursor: 'x' } }));

      const restarted = await subject.reopen();
      try {
        const registration = await restarted.register(POOL, definition('a'));
        const tick = { jobId: 'a', scheduledAt: T0 + 1000, startedAt: T0 + 1000 };
        const claim = await restarted.claim(POOL, tick);

        expect(registration.job).toMatchObject({ success: 1, data: { cursor: 'x' } });
        expect(claim).toMatchObject({ won: true, job: { fence: 2 } });
      } finally {
        await restarted.close();
      }
    });
  });
}
