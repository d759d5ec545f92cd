import { toCount, toMs, type Queryable } from './queryable.js';
import { byAddress, lockedByKey } from './row-sql.js';
import type { TableNames } from './schema-name.js';

/** A lease to renew: the job and the fence of the run that holds it. */
export interface HeldLease {
  readonly jobId: string;
  readonly fence: number;
}

/** A renewed lease, with the control state the run must follow. */
export interface RenewedLease extends HeldLease {
  readonly status: 'active' | 'stopped' | 'ended';
  /** When a pause was asked for; `undefined` when none is. */
  readonly pauseRequestedMs: number | undefined;
  readonly pauseTimeoutMs: number | undefined;
  /** Grows with every control command on the job. */
  readonly controlSeq: number;
}

/**
 * Renews the leases this process holds, in one statement. A lease is renewed only while
 * its row still carries the run's fence and this owner; one that comes back missing was
 * reaped or taken over, and its run must stop. An expired lease that no reaper has taken
 * yet is renewed: expiry makes a lease reapable, and only the reaper ends it. The answer
 * carries each job's control state, so a command whose notification was lost still
 * arrives within one heartbeat.
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
    pause_requested_at: Date | null;
    pause_timeout_ms: number | null;
    control_seq: string;
  }>({
    name: `orbit-heartbeat:${tables.schema}`,
    text: heartbeatSql(tables),
    values: [poolId, leases.map((l) => l.jobId), leases.map((l) => l.fence), owner, leaseTtlMs],
  });
  return rows.map((row) => ({
    jobId: row.job_id,
    fence: toCount(row.fence),
    status: row.status,
    pauseRequestedMs: toMs(row.pause_requested_at),
    pauseTimeoutMs: row.pause_timeout_ms ?? undefined,
    controlSeq: toCount(row.control_seq),
  }));
}

function heartbeatSql({ jobs }: TableNames): string {
  return `
    WITH h AS (SELECT * FROM unnest($2::text[], $3::bigint[]) AS h(job_id, fence)),
    held AS (${lockedByKey(jobs, 'h', 'j.fence = h.fence AND j.lease_owner = $4', 'FOR UPDATE')})
    UPDATE ${jobs} j SET lease_expires_at = now() + $5 * interval '1 millisecond'
      FROM held
     WHERE ${byAddress('held')}
    RETURNING j.job_id, j.fence, j.status, j.pause_requested_at, j.pause_timeout_ms,
              j.control_seq`;
}
