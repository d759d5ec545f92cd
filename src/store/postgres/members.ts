import type { Queryable } from './queryable.js';
import type { TableNames } from './schema-name.js';

/**
 * How long past its due instant a tick waits, in a process that is not its first choice,
 * before that process asks whether it is still unclaimed (`Store.overdue`) and claims it
 * if so: long enough for a live first choice to have claimed it, short enough that a
 * process that died or froze delays its ticks by little more than this.
 */
export const STANDBY_MS = 2_000;

/** What the member list needs from its store. */
export interface MembersContext {
  readonly db: () => Promise<Queryable>;
  readonly tables: TableNames;
  /** This process's name, as in leases. */
  readonly owner: string;
  /** How long a member that stopped beating still counts as live. */
  readonly ttlMs: number;
  /** The live members of a pool this process runs changed, or were read the first time. */
  readonly changed: (poolId: string) => void;
}

/**
 * The processes that run each pool, so that every tick has one first choice: the live
 * member that ranks highest for the job (rendezvous hashing over the job id). The first
 * choice claims a tick when it falls due; every other member claims it only if it is
 * still unclaimed {@link STANDBY_MS} after it fell due, which it is only when the first
 * choice is gone. Claims stay atomic whatever the members think, so a stale list costs
 * only wasted claims, never a tick run twice.
 *
 * A process joins a pool when a pool on the store starts watching it, announces it on the
 * channel (every member reads the list again), renews its row with every heartbeat, and
 * leaves when its last pool stops. A process that died drops out once its row is older
 * than the lease; until then its ticks run late by {@link STANDBY_MS}.
 */
export class Members {
  readonly #context: MembersContext;
  /** The pools this process runs. */
  readonly #joined = new Set<string>();
  /** Each joined pool's live members, as hashes of their names. */
  readonly #live = new Map<string, Uint32Array>();
  readonly #ownHash: number;

  constructor(context: MembersContext) {
    this.#context = context;
    this.#ownHash = hashString(context.owner);
  }

  /** How long this process waits past a tick of the job before claiming it. */
  standbyMs(poolId: string, jobId: string): number {
    const live = this.#live.get(poolId);
    if (live === undefined || live.length < 2) return 0;
    return firstChoice(live, hashString(jobId)) === this.#ownHash ? 0 : STANDBY_MS;
  }

  /** Joins a pool: this process runs it from now on. */
  async join(poolId: string): Promise<void> {
    this.#joined.add(poolId);
    await this.#write([poolId], true);
    await this.refresh([poolId]);
  }

  /** Leaves a pool (its last pool here stopped): the others take its ticks at once. */
  async leave(poolId: string): Promise<void> {
    this.#joined.delete(poolId);
    this.#live.delete(poolId);
    const db = await this.#context.db();
    const { members, channel } = this.#context.tables;
    await db.query(
      `WITH gone AS (DELETE FROM ${members} WHERE pool_id = $1 AND owner = $2)
       SELECT pg_notify($3, json_build_object('pool', $1::text, 'members', true)::text)`,
      [poolId, this.#context.owner, channel],
    );
  }

  /** A heartbeat: this process is still live in its pools; the lists are read again. */
  async beat(): Promise<void> {
    const pools = [...this.#joined];
    if (pools.length === 0) return;
    await this.#write(pools, false);
    await this.refresh(pools);
  }

  /** Reads the live members of `pools` (those this process runs) again. */
  async refresh(pools: readonly string[] = [...this.#joined]): Promise<void> {
    const joined = pools.filter((pool) => this.#joined.has(pool));
    if (joined.length === 0) return;
    const db = await this.#context.db();
    const { rows } = await db.query<{ pool_id: string; owners: string[] }>(
      `SELECT pool_id, array_agg(owner) AS owners FROM ${this.#context.tables.members}
        WHERE pool_id = ANY ($1::text[])
          AND seen_at > now() - $2 * interval '1 millisecond'
        GROUP BY pool_id`,
      [joined, this.#context.ttlMs],
    );
    const found = new Map(rows.map((row) => [row.pool_id, row.owners]));
    for (const pool of joined) {
      // Left meanwhile: its list must not come back.
      if (!this.#joined.has(pool)) continue;
      const hashes = Uint32Array.from(found.get(pool) ?? [], hashString).sort();
      const known = this.#live.get(pool);
      this.#live.set(pool, hashes);
      if (known === undefined || !sameHashes(known, hashes)) this.#context.changed(pool);
    }
  }

  /** Writes this process's rows (and on joining, tells the others to read the list). */
  async #write(pools: readonly string[], announce: boolean): Promise<void> {
    const db = await this.#context.db();
    const { members, channel } = this.#context.tables;
    await db.query(
      `WITH seen AS (
         INSERT INTO ${members} (pool_id, owner) SELECT unnest($1::text[]), $2
         ON CONFLICT (pool_id, owner) DO UPDATE SET seen_at = now()
       )
       SELECT pg_notify($3, json_build_object('pool', p, 'members', true)::text)
         FROM unnest($1::text[]) AS p WHERE $4`,
      [pools, this.#context.owner, channel, announce],
    );
  }
}

function sameHashes(a: Uint32Array, b: Uint32Array): boolean {
  return a.length === b.length && a.every((hash, i) => hash === b[i]);
}

/** The member (by name hash) that ranks highest for the job: its first choice. */
export function firstChoice(members: Uint32Array, jobHash: number): number {
  let best = 0;
  let bestScore = -1;
  for (const member of members) {
    const score = mix(member ^ jobHash);
    // Ties (practically never) go to the smaller hash, the same in every process.
    if (score > bestScore || (score === bestScore && member < best)) {
      best = member;
      bestScore = score;
    }
  }
  return best;
}

/** FNV-1a over the string's UTF-16 code units: a stable 32-bit hash. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Spreads the bits of a 32-bit value (the finaliser of MurmurHash3). */
function mix(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
