import { describe, expect, it } from 'vitest';
import {
  firstChoice,
  hashString,
  Members,
  STANDBY_MS,
} from '../../../src/store/postgres/members.js';
import type { StoreWatcher } from '../../../src/store/store.js';
import { settle, useFleetSchema, type FleetStore } from '../../support/postgres-fleet.js';
import { seededRandom } from '../../support/seeded-random.js';

/*
 * Each process ranks the pool's live members for a job on its own, from the member list
 * it read (in whatever order the database gave it). The ranking must agree everywhere,
 * spread the jobs evenly, and move as few jobs as possible when a member comes or goes.
 * The list itself lives in the database: a process joins when a pool on its store starts
 * watching it, renews its row with its heartbeats, and leaves when its last pool stops.
 */

const random = seededRandom(20_260_101);

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Owner names as `PostgresStore` makes them: host, pid and a random part. */
function owners(count: number): string[] {
  return Array.from(
    { length: count },
    (_, index) => `worker-${index}:${4000 + index}:${Math.floor(random() * 2 ** 32).toString(16)}`,
  );
}

/** The first choice among `members` for the job, as the member list's hashes. */
function chosen(members: readonly string[], jobId: string): number {
  return firstChoice(Uint32Array.from(members, hashString), hashString(jobId));
}

const JOB_IDS = Array.from({ length: 10_000 }, (_, index) => `job-${index}`);

describe('the first choice of a job among the pool members', () => {
  it('is exactly one member, whatever order each member reads the list in', () => {
    for (const size of [1, 2, 3, 5, 8]) {
      const members = owners(size);
      for (const jobId of JOB_IDS.slice(0, 500)) {
        // Each member decides alone, from its own reading of the list.
        const deciding = members.filter(
          (self) => chosen(shuffled(members), jobId) === hashString(self),
        );
        expect(deciding, `${jobId} among ${size} members`).toHaveLength(1);
      }
    }
  });

  it('spreads 10,000 jobs evenly over four members', () => {
    const members = owners(4);
    const share = new Map(members.map((member) => [hashString(member), 0]));
    for (const jobId of JOB_IDS) {
      const member = chosen(members, jobId);
      share.set(member, (share.get(member) ?? 0) + 1);
    }

    expect(share.size).toBe(4);
    for (const count of share.values()) {
      expect(count).toBeGreaterThanOrEqual(2_000);
      expect(count).toBeLessThanOrEqual(3_000);
    }
  });

  it('moves only the jobs of a member that leaves, and moves all of them', () => {
    const members = owners(5);
    const leaving = members[2] as string;
    const staying = members.filter((member) => member !== leaving);
    let moved = 0;

    for (const jobId of JOB_IDS) {
      const before = chosen(members, jobId);
      const after = chosen(staying, jobId);
      if (before === hashString(leaving)) {
        expect(after).not.toBe(before);
        moved++;
      } else {
        expect(after, jobId).toBe(before);
      }
    }
    expect(moved).toBeGreaterThan(1_000);
  });

  it('takes for a member that joins only jobs from the others, about its share', () => {
    const members = owners(3);
    const joined = [...members, ...owners(1)];
    const newcomer = hashString(joined[3] as string);
    let taken = 0;

    for (const jobId of JOB_IDS) {
      const after = chosen(joined, jobId);
      if (after === newcomer) taken++;
      else expect(after, jobId).toBe(chosen(members, jobId));
    }
    expect(taken).toBeGreaterThanOrEqual(2_000);
    expect(taken).toBeLessThanOrEqual(3_000);
  });

  it('hashes a name the same in every process: FNV-1a over its UTF-16 code units', () => {
    // Published FNV-1a 32-bit values: the hash must never change between versions, or
    // processes of two versions in one pool would disagree on every first choice.
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
    expect(hashString('foobar')).toBe(0xbf9cf968);
    expect(hashString('job-1')).toBe(hashString('job-1'));
    expect(hashString('job-1')).not.toBe(hashString('job-2'));
  });
});

const POOL_ID = 'fleet';
const FEW_JOBS = JOB_IDS.slice(0, 64);
const ignore: StoreWatcher = {
  changed: () => undefined,
  runLost: () => undefined,
  membersChanged: () => undefined,
};

describe('the members of a pool in PostgreSQL', () => {
  // Heartbeats follow the fake clock; the database decides who is live by its own.
  const fleet = useFleetSchema('members');

  /** A process whose pool `POOL_ID` watches the store: it joins the pool. */
  async function join(): Promise<{ store: FleetStore; leave: () => void }> {
    const store = await fleet.openStore();
    const leave = store.watch(POOL_ID, ignore);
    await settle(fleet.clock, 'the member row', async () => (await owners()).includes(store.owner));
    return { store, leave };
  }

  async function owners(): Promise<string[]> {
    const { rows } = await fleet.db.sql.query<{ owner: string }>(
      `SELECT owner FROM ${fleet.schema}.members WHERE pool_id = $1`,
      [POOL_ID],
    );
    return rows.map((row) => row.owner).sort();
  }

  /** The jobs (of the first 64) a store stands by for. */
  function standingBy(store: FleetStore): string[] {
    return FEW_JOBS.filter((jobId) => store.standby(POOL_ID, jobId) > 0);
  }

  it('gives each job one first choice once two processes joined, without a heartbeat', async () => {
    const first = await join();
    expect(standingBy(first.store)).toEqual([]);
    const second = await join();

    // The second one's arrival is announced: the first reads the list again at once.
    await settle(fleet.clock, 'both to see two members', () =>
      [first, second].every(({ store }) => standingBy(store).length > 0),
    );
    const waits = FEW_JOBS.map((jobId) =>
      [first, second].map(({ store }) => store.standby(POOL_ID, jobId)).sort((x, y) => x - y),
    );
    expect(waits).toEqual(FEW_JOBS.map(() => [0, STANDBY_MS]));
    expect(await owners()).toEqual([first.store.owner, second.store.owner].sort());
  });

  it("tells the pool's watchers when the members change, so jobs standing by decide again", async () => {
    const first = await join();
    let told = 0;
    first.store.watch(POOL_ID, { ...ignore, membersChanged: () => (told += 1) });
    const second = await join();
    // The first read of the list is told too, and may come before or after the second's.
    await settle(
      fleet.clock,
      'the first to hear of the second',
      () => told > 0 && standingBy(first.store).length > 0,
    );

    const heard = told;
    second.leave();
    await settle(fleet.clock, 'the first to hear it left', () => told > heard);
    expect(standingBy(first.store)).toEqual([]);
  });

  it('takes out a process whose last pool stops, and the others take all jobs at once', async () => {
    const first = await join();
    const second = await join();
    await settle(fleet.clock, 'both to see two members', () => standingBy(first.store).length > 0);

    second.leave();
    await settle(
      fleet.clock,
      'the first to stand by for nothing',
      () => standingBy(first.store).length === 0,
    );
    expect(await owners()).toEqual([first.store.owner]);
  });

  it('keeps a process in while another pool of it still watches', async () => {
    await join();
    const second = await join();
    second.store.watch(POOL_ID, ignore);
    second.leave();

    // Closing waits for the member writes under way: a leave would be done by then.
    await second.store.close();
    expect(await owners()).toHaveLength(2);
  });

  it('drops a member whose row grew older than the lease when it reads the list again', async () => {
    // The list of one process, read only when told to: no notification reads it behind
    // the test's back.
    const { options } = await fleet.openStore();
    const members = new Members({
      db: () => Promise.resolve(fleet.db.sql),
      tables: options.tables,
      owner: 'here:1:live',
      ttlMs: options.leaseTtlMs,
      changed: () => undefined,
    });
    await members.join(POOL_ID);
    // A process that joined, then died without leaving: its row stays behind.
    await fleet.db.sql.query(
      `INSERT INTO ${fleet.schema}.members (pool_id, owner) VALUES ($1, 'gone:1:dead')`,
      [POOL_ID],
    );
    await members.beat();
    const rankedFirst = FEW_JOBS.filter((jobId) => members.standbyMs(POOL_ID, jobId) > 0);
    expect(rankedFirst.length).toBeGreaterThan(0);

    await fleet.db.sql.query(
      `UPDATE ${fleet.schema}.members SET seen_at = now() - $1 * interval '1 millisecond'
        WHERE owner = 'gone:1:dead'`,
      [options.leaseTtlMs + 1_000],
    );
    // Until it reads the list again, it still ranks the dead one first for its jobs.
    expect(FEW_JOBS.filter((jobId) => members.standbyMs(POOL_ID, jobId) > 0)).toEqual(rankedFirst);

    await members.beat();
    expect(FEW_JOBS.filter((jobId) => members.standbyMs(POOL_ID, jobId) > 0)).toEqual([]);
  });

  it('renews its own row with every heartbeat', async () => {
    const { store } = await join();
    await fleet.db.sql.query(
      `UPDATE ${fleet.schema}.members SET seen_at = now() - interval '1 hour' WHERE owner = $1`,
      [store.owner],
    );

    await fleet.clock.tick((store.options.leaseTtlMs / 3) * 1.1);
    await settle(fleet.clock, 'the row renewed', async () => {
      const { rows } = await fleet.db.sql.query<{ fresh: boolean }>(
        `SELECT seen_at > now() - interval '1 minute' AS fresh FROM ${fleet.schema}.members
          WHERE owner = $1`,
        [store.owner],
      );
      return rows[0]?.fresh === true;
    });
  });
});
