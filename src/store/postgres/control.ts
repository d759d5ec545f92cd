import type { StoredStatus } from '../store.js';

/**
 * A change of a job's status, as it travels on the schema's notification channel to every
 * process: sent by the statement that makes the change, so it goes out when it commits.
 */
export interface ChangeMessage {
  readonly pool: string;
  readonly job: string;
  /** The status as the store contract names it (`waiting`, `running`, `paused`, ...). */
  readonly status: StoredStatus;
  /** The process holding the job's lease, while a run is live. */
  readonly owner: string | null;
  /** The fence of the job's latest claimed run. */
  readonly fence: number;
  readonly dueAt: number | null;
  /** For `paused`: how long the run has to reach a checkpoint. */
  readonly timeoutMs: number | null;
}

/** The job row columns {@link changeMessageSql} reads; a RETURNING list must carry them. */
export const CHANGE_COLUMNS = `j.pool_id, j.job_id, j.status, j.lease_owner, j.fence, j.due_at,
  j.pause_timeout_ms`;

/**
 * SQL that builds a {@link ChangeMessage} from the row `alias` (with {@link CHANGE_COLUMNS}).
 * An active row is `running` while leased and `waiting` otherwise.
 */
export function changeMessageSql(alias: string): string {
  return `json_build_object('pool', ${alias}.pool_id, 'job', ${alias}.job_id,
    'status', CASE ${alias}.status WHEN 'active' THEN
                CASE WHEN ${alias}.lease_owner IS NULL THEN 'waiting' ELSE 'running' END
              ELSE ${alias}.status END,
    'owner', ${alias}.lease_owner, 'fence', ${alias}.fence,
    'dueAt', (extract(epoch FROM ${alias}.due_at) * 1000)::bigint,
    'timeoutMs', ${alias}.pause_timeout_ms)::text`;
}

const STATUSES: ReadonlySet<string> = new Set(['waiting', 'running', 'paused', 'stopped', 'ended']);

/** A process joined or left a pool: its members read their list again (`members.ts`). */
export interface MembersMessage {
  readonly pool: string;
  readonly members: true;
}

/** Any message on the schema's channel. */
export type ChannelMessage = ChangeMessage | MembersMessage;

/** Reads a notification payload; `undefined` for anything that is not one of ours. */
export function parseChannelMessage(payload: string): ChannelMessage | undefined {
  try {
    const value = JSON.parse(payload) as Partial<ChangeMessage & MembersMessage>;
    if (typeof value.pool !== 'string') return undefined;
    if (value.members === true) return { pool: value.pool, members: true };
    if (typeof value.job !== 'string') return undefined;
    if (typeof value.status !== 'string' || !STATUSES.has(value.status)) return undefined;
    if (typeof value.fence !== 'number') return undefined;
    return value as ChangeMessage;
  } catch {
    return undefined;
  }
}
