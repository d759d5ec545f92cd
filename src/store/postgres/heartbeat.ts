import { numberArray, textArray } from './array-literal.js';
import { toCount, type Queryable } from './queryable.js';
import { byKey, lockedByKey } from './row-sql.js';
import type { TableNames } from './schema-name.js';

/** A lease to renew: the job and the fence of the run that holds it. */
export interface HeldLease {
  readonly jobId: string;
  readonly fence: number;
}

/** A renewed lease, with the job's status that the run must follow. */
export interface RenewedLease extends HeldLease {
  readonly status: 'active' | 'paused' | 'stopped' | 'ended';
  /** For `paused`: how long the run has to reach a checkpoint. */
  readonly pauseTimeoutMs: number | undefined;
}

/**
 * Renews the leases this process holds, in one statement. A lease is renewed only while
 * its row still carries the run's fence and this owner; one that comes back missing was
 * taken over or closed, and its run must stop. An expired lease that no other process has
 * taken over yet is renewed: expiry makes a lease takeable, and only a taker ends it. The
 * answer carries each job's status, so a change whose notification was lost still reaches
 * the run within one heartbeat.
 */
export async function renewLeases(
  db: Queryable,
  tables: TableNames,
  poolId: string,
  owner: string,
  leaseTtlMs: number,
  leases: readonly HeldLease[],
): Promise<RenewedLease[]> {
  if (leases.length === 0) return [];

  const { rows } = await db.query<{
    job_id: string;
    fence: string;
    status: RenewedLease['status'];
    pause_timeout_ms: number | null;
  }>({
    name: `orbit-heartbeat:${tables.schema}`,
    text: heartbeatSql(tables),
    values: [
      poolId,
      textArray(leases.map((l) => l.jobId)),
      numberArray(leases.map((l) => l.fence)),
      owner,
      leaseTtlMs,
    ],
  });
  return rows.map((row) => ({
    jobId: row.job_id,
    fence: toCount(row.fence),
    status: row.status,
    pauseTimeoutMs: row.pause_timeout_ms ?? undefined,
  }));
}

function heartbeatSql({ jobs }: TableNames): string {
  return `
    WITH h AS (SELECT * FROM unnest($2::text[], $3::bigint[]) AS h(job_id, fence) ORDER BY job_id),
    held AS (${lockedByKey(jobs, 'h', 'j.fence = h.fence AND j.lease_owner = $4', 'FOR UPDATE')})
    UPDATE ${jobs} j SET lease_expires_at = now() + $5 * interval '1 millisecond'
      FROM held
     WHERE ${byKey('held')}
    RETURNING j.job_id, j.fence, j.status, j.pause_timeout_ms`;
}
