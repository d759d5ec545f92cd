import type pg from 'pg';
import {
  claimRuns,
  pollDue,
  skipTicks,
  type ClaimedRun,
  type DueJob,
  type PlannedClaim,
} from './claim.js';
import { withClient } from './checked-out.js';
import type { TableNames } from './schema-name.js';
import type { ClaimPlan } from './tick-plan.js';

/** What one round of claiming did. */
export interface ClaimRound {
  /** Due jobs the poll found (and locked). */
  readonly found: number;
  /** Of those, jobs this process planned a run or a skip for. */
  readonly planned: number;
  readonly won: ClaimedRun[];
  readonly dbNowMs: number;
  readonly nextDueMs: number | undefined;
}

/** Who claims, and how. */
export interface ClaimRoundInput {
  readonly tables: TableNames;
  readonly poolId: string;
  readonly owner: string;
  readonly leaseTtlMs: number;
  readonly limit: number;
  /** A plan for a due job; `undefined` for a job this process does not hold. */
  plan(job: DueJob, dbNowMs: number): ClaimPlan | undefined;
}

/**
 * One round of claiming, as one short transaction: lock the due jobs no other claimer
 * holds, plan each from the database's clock, apply the skips, then claim the runs in one
 * statement. Holding the locks from poll to claim is what lets processes claim side by
 * side without racing for the same rows; the claim still checks each row's version.
 */
export function claimRound(db: pg.Pool, input: ClaimRoundInput): Promise<ClaimRound> {
  return withClient(db, async (client) => {
    await client.query('BEGIN');
    try {
      const round = await claimInTransaction(client, input);
      await client.query('COMMIT');
      return round;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

async function claimInTransaction(
  client: pg.PoolClient,
  input: ClaimRoundInput,
): Promise<ClaimRound> {
  const { tables, poolId, owner, leaseTtlMs, limit } = input;
  const polled = await pollDue(client, tables, poolId, limit);
  const plans: PlannedClaim[] = [];
  for (const job of polled.due) {
    const plan = input.plan(job, polled.dbNowMs);
    if (plan !== undefined) plans.push({ job, plan });
  }
  await skipTicks(client, tables, poolId, plans);
  const won = await claimRuns(client, tables, poolId, owner, leaseTtlMs, plans);
  const { dbNowMs, nextDueMs } = polled;
  return { found: polled.due.length, planned: plans.length, won, dbNowMs, nextDueMs };
}
