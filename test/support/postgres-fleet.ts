import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { Orbit } from '../../src/orbit.js';
import type { Pool } from '../../src/pool/pool.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { ClaimResult, JobChange, RunClaim, StoreWatcher } from '../../src/store/store.js';
import { createFakeClock, type FakeClock } from './fake-clock.js';
import { createTestDatabase, type TestDatabase } from './postgres-database.js';

/** A claim a pool made through a {@link FleetStore}, and what it got. */
export interface NotedClaim {
  readonly jobId: string;
  readonly scheduledAt: number;
  /** When the pool asked, by its clock. */
  readonly atMs: number;
  readonly won: boolean;
}

/**
 * A PostgreSQL store that stands for one process of a fleet in a test: it notes the
 * claims its pools make, the changes they hear of and their questions about overdue ticks, and knows whether a call of theirs
 * still awaits the database.
 */
export class FleetStore extends PostgresStore {
  readonly claims: NotedClaim[] = [];
  /** The changes told to the pools here, in order. */
  readonly changes: JobChange[] = [];
  /** How many times the pools here asked for overdue ticks. */
  overdueAsked = 0;
  #pending = 0;
  /** While set, run ends are answered only once it resolves. */
  #completesHeld: Promise<void> | undefined;
  readonly #clock: FakeClock;

  constructor(clock: FakeClock, options: ConstructorParameters<typeof PostgresStore>[0]) {
    super(options);
    this.#clock = clock;
  }

  /** Whether no claim, run end or read of the pools here awaits the database. */
  get idle(): boolean {
    return this.#pending === 0;
  }

  override claim(poolId: string, claim: RunClaim): Promise<ClaimResult> {
    const atMs = this.#clock.now();
    return this.#track(
      super.claim(poolId, claim).then((result) => {
        this.claims.push({
          jobId: claim.jobId,
          scheduledAt: claim.scheduledAt,
          atMs,
          won: result.won,
        });
        return result;
      }),
    );
  }

  override register(...call: Parameters<PostgresStore['register']>) {
    return this.#track(super.register(...call));
  }

  override complete(...call: Parameters<PostgresStore['complete']>) {
    const held = this.#completesHeld;
    const answer = super.complete(...call);
    return this.#track(held === undefined ? answer : held.then(() => answer));
  }

  /**
   * Holds back the answers to the run ends the pools here send from now on (the database
   * writes them at once), as a slow network would; the function given back lets them go.
   */
  holdCompletes(): () => void {
    let release = (): void => undefined;
    this.#completesHeld = new Promise((resolve) => {
      release = () => {
        this.#completesHeld = undefined;
        resolve();
      };
    });
    return release;
  }

  override job(...call: Parameters<PostgresStore['job']>) {
    return this.#track(super.job(...call));
  }

  override watch(poolId: string, watcher: StoreWatcher): () => void {
    return super.watch(poolId, {
      changed: (change) => {
        this.changes.push(change);
        watcher.changed(change);
      },
      runLost: (jobId, fence) => watcher.runLost(jobId, fence),
      membersChanged: () => watcher.membersChanged(),
    });
  }

  override overdue(...call: Parameters<PostgresStore['overdue']>) {
    this.overdueAsked++;
    return this.#track(super.overdue(...call));
  }

  #track<T>(answer: Promise<T>): Promise<T> {
    this.#pending++;
    return answer.finally(() => this.#pending--);
  }
}

/**
 * Lets pools on a fake clock and a real database go on until `done()` holds: runs the
 * timers due at the clock's instant (the clock does not move) and gives the event loop
 * turns for the database's answers and notifications. Throws when `done()` still fails
 * after `limitMs` of real time.
 */
export async function settle(
  clock: FakeClock,
  what: string,
  done: () => boolean | Promise<boolean>,
  limitMs = 10_000,
): Promise<void> {
  const giveUpAt = Date.now() + limitMs;
  for (;;) {
    await clock.flush();
    if (await done()) return;
    if (Date.now() > giveUpAt) throw new Error(`waited in vain for ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** A history retention longer than the fake clock lies in the past. */
const RETENTION_PAST_THE_CLOCK = '3650d';

/** What {@link useFleetSchema} gives the running test. */
export interface FleetFixture {
  /** The database of the test file. */
  readonly db: TestDatabase;
  /** The test's own schema. */
  readonly schema: string;
  /**
   * The test's fake clock. It starts in the past, so every tick it reaches is due by the
   * database's clock too (claims are decided by that clock).
   */
  readonly clock: FakeClock;
  /** A new process's store on the test's schema, opened on its clock. */
  openStore(): Promise<FleetStore>;
  /** A pool on `store` and the test's clock. */
  createPool(store: FleetStore, id: string): Pool;
}

interface FleetTest {
  readonly schema: string;
  readonly clock: FakeClock;
  readonly stores: FleetStore[];
  readonly pools: Pool[];
}

/**
 * For a test file whose tests stand for processes sharing a PostgreSQL schema: creates a
 * database for the file, and for each test a schema and a fake clock. After each test the
 * pools it made are killed and its stores closed, in that order, and its schema dropped.
 */
export function useFleetSchema(prefix: string): FleetFixture {
  let db: TestDatabase | undefined;
  let current: FleetTest | undefined;
  let seq = 0;
  const database = () => db ?? failHook('database');
  const test = () => current ?? failHook('test');

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(() => {
    current = { schema: `${prefix}_${++seq}`, clock: createFakeClock(), stores: [], pools: [] };
  });
  afterEach(async () => {
    const { schema, stores, pools } = test();
    for (const pool of pools) await pool.kill({ timeout: 0 });
    for (const store of stores) await store.close();
    await database().sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  return {
    get db() {
      return database();
    },
    get schema() {
      return test().schema;
    },
    get clock() {
      return test().clock;
    },
    openStore: async () => {
      const { schema, clock, stores } = test();
      const store = new FleetStore(clock, {
        connectionString: database().connectionString,
        schema,
        // The clock starts in the past, so every record finishes long ago by the database's
        // clock: the purge, which starts at a random instant, must not take them.
        historyRetention: RETENTION_PAST_THE_CLOCK,
      });
      stores.push(store);
      await store.open({ clock });
      return store;
    },
    createPool: (store, id) => {
      const pool = new Orbit({ clock: test().clock }).createPool({ id, store });
      test().pools.push(pool);
      return pool;
    },
  };
}

function failHook(what: string): never {
  throw new Error(`the fleet ${what} is made in a test hook: use it inside a test`);
}
