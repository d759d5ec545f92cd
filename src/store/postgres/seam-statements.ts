import { CHANGE_COLUMNS, changeMessageSql } from './control.js';
import { byKey } from './row-sql.js';
import { SEAM_JOB_COLUMNS } from './seam-rows.js';
import type { TableNames } from './schema-name.js';

/**
 * The statements behind the store contract (`src/store/store.ts`), each a single round
 * trip. Claims and run ends come in batches (one statement for every call a pool made in
 * one turn of the event loop); status changes announce themselves on the schema's channel
 * in the statement that makes them, so the message goes out exactly when it commits.
 */
export interface SeamStatements {
  readonly register: string;
  readonly readJobs: string;
  readonly takeOver: string;
  readonly claim: string;
  readonly overdue: string;
  readonly complete: string;
  readonly trimHistory: string;
  readonly setStatus: string;
  readonly pause: string;
  readonly resume: string;
  readonly remove: string;
  readonly history: string;
}

const JOB_COLUMNS_OF_J = SEAM_JOB_COLUMNS.split(',')
  .map((column) => `j.${column.trim()}`)
  .join(', ');

/** The run record status for a contract outcome and error code. */
const RECORD_STATUS = `CASE d.outcome WHEN 'success' THEN 'succeeded'
  WHEN 'failure' THEN CASE WHEN d.error_code = 'RUN_LOST' THEN 'lost' ELSE 'failed' END
  ELSE 'stopped' END`;

/** The message of a stop, as `stopJob` words it (`$2` is the job id). */
const STOPPED_MESSAGE = `'job ''' || $2 || ''' was stopped'`;

export function seamStatements(tables: TableNames): SeamStatements {
  const { jobs, runs } = tables;
  return {
    // Many jobs at once. A new job, or a known one whose schedule changed, starts at its
    // first due instant; the same schedule changes nothing. Only the rows written come back.
    // Parameters: pool, then job ids, schedule keys and first due instants (epoch ms, or
    // null for none) as arrays, without a job twice.
    register: `
      INSERT INTO ${jobs} AS j (pool_id, job_id, schedule_key, misfire, retry_active,
                                retry_limit, retry_reset, due_at)
      SELECT $1, d.job_id, d.schedule_key, 'once', false, 0, false,
             to_timestamp(d.first_ms / 1000)
        FROM unnest($2::text[], $3::text[], $4::float8[]) AS d(job_id, schedule_key, first_ms)
       ORDER BY d.job_id
      ON CONFLICT (pool_id, job_id) DO UPDATE SET
        schedule_key = EXCLUDED.schedule_key,
        due_at = EXCLUDED.due_at,
        status = CASE WHEN j.status = 'ended' THEN 'active' ELSE j.status END,
        version = j.version + 1,
        updated_at = now()
      WHERE j.schedule_key <> EXCLUDED.schedule_key
      RETURNING j.job_id`,
    // The jobs named in the text array `$2`.
    readJobs: `
      SELECT ${SEAM_JOB_COLUMNS} FROM ${jobs} WHERE pool_id = $1 AND job_id = ANY ($2::text[])`,
    // Live runs whose lease ran out (their process died), among the jobs `$2`, pass to the
    // caller, which ends them as lost; their rows come back with the owner that lost them.
    takeOver: `
      WITH old AS (
        SELECT job_id, lease_owner AS lost_owner FROM ${jobs}
         WHERE pool_id = $1 AND job_id = ANY ($2::text[]) AND lease_expires_at < now()
         ORDER BY job_id
           FOR UPDATE SKIP LOCKED
      )
      UPDATE ${jobs} j SET lease_owner = $3,
             lease_expires_at = now() + $4 * interval '1 millisecond',
             version = j.version + 1, updated_at = now()
        FROM old WHERE ${byKey('old')}
      RETURNING ${JOB_COLUMNS_OF_J}, old.lost_owner`,
    claim: claimSql(tables),
    overdue: overdueSql(tables),
    complete: completeSql(tables),
    // Keeps the latest `$3` records of each job named in `$2`.
    trimHistory: `
      DELETE FROM ${runs} r USING (
        SELECT job_id, scheduled_at FROM (
          SELECT job_id, scheduled_at,
                 row_number() OVER (PARTITION BY job_id ORDER BY scheduled_at DESC) AS newer
            FROM ${runs} WHERE pool_id = $1 AND job_id = ANY ($2::text[])) ranked
         WHERE newer > $3) old
       WHERE r.pool_id = $1 AND r.job_id = old.job_id AND r.scheduled_at = old.scheduled_at`,
    // A stop or an end closes a live run: its record says stopped and its lease goes. The
    // run and the job keep the error that the run's process records for a stop it makes.
    setStatus: `
      WITH held AS (
        SELECT job_id, lease_owner, fence, run_tick, run_skipped, last_start_at,
               $5 AND lease_owner IS NOT NULL AND run_tick IS NOT NULL AS closes_run
          FROM ${jobs} WHERE pool_id = $1 AND job_id = $2 FOR UPDATE
      ),
      changed AS (
        UPDATE ${jobs} j SET
          status = $3, due_at = $4, pause_timeout_ms = $6, version = j.version + 1,
          control_seq = j.control_seq + 1,
          lease_owner = CASE WHEN $5 THEN NULL ELSE j.lease_owner END,
          lease_expires_at = CASE WHEN $5 THEN NULL ELSE j.lease_expires_at END,
          last_end_at = CASE WHEN closes_run THEN now() ELSE j.last_end_at END,
          last_error_code = CASE WHEN closes_run THEN 'JOB_STOPPED' ELSE j.last_error_code END,
          last_error_message =
            CASE WHEN closes_run THEN ${STOPPED_MESSAGE} ELSE j.last_error_message END,
          updated_at = now()
        FROM held WHERE ${byKey('held')}
        RETURNING ${CHANGE_COLUMNS}
      ),
      recorded AS (
        INSERT INTO ${runs} (pool_id, job_id, scheduled_at, fence, owner, status,
                             skipped_before, claimed_at, error_code, error_message)
        SELECT $1, $2, run_tick, fence, lease_owner, 'stopped', run_skipped,
               COALESCE(last_start_at, run_tick), 'JOB_STOPPED', ${STOPPED_MESSAGE}
          FROM held WHERE closes_run
        ON CONFLICT DO NOTHING
      )
      SELECT pg_notify($7, ${changeMessageSql('c')}) FROM changed c`,
    // Parameters: pool, job, timeout ms (pause only), channel.
    pause: commandSql(tables, `'paused', pause_timeout_ms = $3`, 'active', '$4'),
    resume: commandSql(tables, `'active', pause_timeout_ms = NULL`, 'paused', '$3'),
    remove: `
      WITH gone AS (DELETE FROM ${runs} WHERE pool_id = $1 AND job_id = $2)
      DELETE FROM ${jobs} WHERE pool_id = $1 AND job_id = $2`,
    history: `
      SELECT job_id, scheduled_at, fence, owner, status, claimed_at, finished_at,
             error_code, error_message
        FROM ${runs} WHERE pool_id = $1 AND job_id = $2
       ORDER BY scheduled_at DESC LIMIT $3`,
  };
}

/**
 * Claims many jobs' ticks in one statement, decided by the database's clock. A job is won
 * when it is active and free, the tick is due by `now()`, not before the job's position and
 * after the tick it last served; the winner bumps the fence and takes the lease. A job
 * whose lease ran out is taken over instead, and answered as lost. Rows another statement
 * holds (another process claiming or ending the same job) are passed over, not waited
 * for. Every job asked about comes back; a lost one says until when to leave it alone:
 * the end of the lease that holds it, or now for one passed over.
 * A claim that passes over ticks from the stored position (a misfire policy moved the job)
 * names that position, and wins only while it holds; the ticks it passes over go on the
 * run's record. Parameters: pool, job ids, ticks and start instants (epoch ms), owner,
 * lease ms, the positions passed from (epoch ms, or null) and the ticks passed over.
 */
function claimSql({ jobs }: TableNames): string {
  const wins = `j.lease_owner IS NULL AND j.status = 'active' AND c.tick <= now()
      AND (j.due_at IS NULL OR j.due_at = c.tick
           OR (j.due_at < c.tick AND j.due_at = c.from_at))
      AND (j.run_tick IS NULL OR j.run_tick < c.tick)`;
  const takes = `j.lease_owner IS NOT NULL AND j.lease_expires_at < now()`;
  const lease = `lease_owner = $5, lease_expires_at = now() + $6 * interval '1 millisecond'`;
  const claimed = (which: string) => byKey('t', 't', which);
  return `
    WITH c AS (
      SELECT c.job_id, to_timestamp(c.tick_ms / 1000) AS tick,
             to_timestamp(c.started_ms / 1000) AS started_at,
             to_timestamp(c.from_ms / 1000) AS from_at, c.passed_over
        FROM unnest($2::text[], $3::float8[], $4::float8[], $7::float8[], $8::integer[])
          AS c(job_id, tick_ms, started_ms, from_ms, passed_over)
    ),
    t AS (
      SELECT j.lost_owner, c.* FROM c CROSS JOIN LATERAL (
        SELECT j.lease_owner AS lost_owner FROM ${jobs} j
         WHERE j.pool_id = $1 AND j.job_id = c.job_id AND ((${wins}) OR (${takes}))
           FOR UPDATE SKIP LOCKED
      ) j
    ),
    won AS (
      UPDATE ${jobs} j SET
        fence = j.fence + 1, version = j.version + 1, ${lease},
        run_tick = t.tick, skipped_ticks = 0, due_at = t.tick,
        run_skipped = j.skipped_ticks + CASE WHEN j.due_at < t.tick THEN t.passed_over ELSE 0 END,
        last_start_at = t.started_at, last_end_at = NULL, updated_at = now()
      FROM t WHERE ${claimed('lost_owner IS NULL')}
      RETURNING true AS won, NULL::text AS lost_owner, ${CLAIM_COLUMNS},
                NULL::float8 AS held_until_ms
    ),
    taken AS (
      UPDATE ${jobs} j SET version = j.version + 1, ${lease}, updated_at = now()
      FROM t WHERE ${claimed('lost_owner IS NOT NULL')}
      RETURNING false, t.lost_owner, ${CLAIM_COLUMNS}, NULL::float8
    ),
    missed AS MATERIALIZED (
      SELECT * FROM c WHERE NOT EXISTS (SELECT 1 FROM t WHERE t.job_id = c.job_id)
    )
    SELECT * FROM won
    UNION ALL SELECT * FROM taken
    UNION ALL
    SELECT false, NULL, ${CLAIM_COLUMNS}, ${epochMs(
      `CASE WHEN (${wins}) OR (${takes}) THEN now() ELSE j.lease_expires_at END`,
    )}
      FROM missed c CROSS JOIN LATERAL (
        SELECT * FROM ${jobs} j WHERE j.pool_id = $1 AND j.job_id = c.job_id) j`;
}

/**
 * The pool's jobs that processes standing by should claim: a tick due by `$2` (epoch ms)
 * that nobody claimed (its first choice did not), or a live run whose lease ran out by
 * the database's clock, each with its position, at most 1,000 of each. Also answers the
 * jobs whose run of a tick due by `$2` is live (a run a pause may reach), and how long
 * until the next lease runs out (null when none is held). The job rows have no index on
 * the columns every run changes, so that runs update them in place (HOT): the question
 * reads the pool's rows once, and aggregates only those due by then or held.
 * Parameters: pool, instant (epoch ms).
 */
function overdueSql({ jobs }: TableNames): string {
  const dueBy = `k.due_by`;
  const free = `lease_owner IS NULL AND status = 'active'`;
  const held = `lease_owner IS NOT NULL`;
  const left = `(${free}) OR lease_expires_at < now()`;
  const first = (list: string) => `(${list})[1:1000]`;
  return `
    SELECT ${first(`array_agg(job_id ORDER BY due_at) FILTER (WHERE ${left})`)} AS job_ids,
           ${first(`array_agg(${epochMs('COALESCE(due_at, run_tick)')} ORDER BY due_at)
                      FILTER (WHERE ${left})`)} AS due_ms,
           ${first(`array_agg(job_id) FILTER (WHERE lease_expires_at >= now()
                                               AND run_tick <= ${dueBy})`)} AS running_ids,
           date_part('epoch', min(lease_expires_at) FILTER (
             WHERE lease_expires_at >= now()) - now()) * 1000 AS lease_ends_in_ms
      FROM ${jobs}, (SELECT to_timestamp($2::float8 / 1000) AS due_by) k
     WHERE pool_id = $1 AND (${held} OR (${free} AND due_at <= ${dueBy}))`;
}

/** A timestamp as epoch milliseconds, a `float8` that needs rounding (see `seam-rows.ts`). */
function epochMs(timestamp: string): string {
  return `date_part('epoch', ${timestamp}) * 1000`;
}

/**
 * What a claim answers of the row `j` ({@link ClaimRow}): where the job is (status,
 * position, lease, counts) and the live run's tick and start, for a run taken over;
 * nothing that only a finished run leaves (its error, data). Instants come as epoch ms.
 */
const CLAIM_COLUMNS = `j.job_id, j.schedule_key, j.status, j.lease_owner,
  ${epochMs('j.due_at')} AS due_ms, ${epochMs('j.run_tick')} AS run_tick_ms,
  ${epochMs('j.last_start_at')} AS start_ms, j.fence, j.success_count, j.failure_count,
  j.retries_used`;

/**
 * Ends many runs in one statement, each fenced on its fence and this process's lease: a
 * run whose lease was lost or taken over writes nothing. Writes the job's state after the
 * run and the run's record, and announces the jobs whose status the end changed (a stop,
 * an end, a paused run that ended). The record names the process that ran the run: this
 * one, or for a run taken over as lost the process that lost it (`ran_by`). Parameters:
 * pool, then one array per column (instants as epoch ms), owner, channel, and who ran each
 * run (null: owner). Answers one row: the positions (from 1) of the run ends it refused.
 */
function completeSql({ jobs, runs }: TableNames): string {
  return `
    WITH d AS (
      SELECT job_id, fence, status, to_timestamp(due_ms / 1000) AS due_at, success, failure,
             retries, data, error_code, error_message, to_timestamp(ended_ms / 1000) AS ended_at,
             outcome, skipped, ran_by, n
        FROM unnest($2::text[], $3::bigint[], $4::text[], $5::float8[],
                    $6::bigint[], $7::bigint[], $8::integer[], $9::jsonb[], $10::text[],
                    $11::text[], $12::float8[], $13::text[], $14::integer[], $17::text[])
               WITH ORDINALITY
          AS d(job_id, fence, status, due_ms, success, failure, retries, data, error_code,
               error_message, ended_ms, outcome, skipped, ran_by, n)
       ORDER BY job_id
    ),
    held AS (
      SELECT j.old_status, d.* FROM d CROSS JOIN LATERAL (
        SELECT j.status AS old_status FROM ${jobs} j
         WHERE j.pool_id = $1 AND j.job_id = d.job_id AND j.fence = d.fence
           AND j.lease_owner = $15
           FOR UPDATE
      ) j
    ),
    done AS (
      UPDATE ${jobs} j SET
        lease_owner = NULL, lease_expires_at = NULL,
        pause_requested_at = NULL, pause_timeout_ms = NULL,
        version = j.version + 1, status = h.status, due_at = h.due_at,
        success_count = h.success, failure_count = h.failure, retries_used = h.retries,
        data = h.data, last_error_code = h.error_code, last_error_message = h.error_message,
        last_end_at = h.ended_at, skipped_ticks = j.skipped_ticks + h.skipped,
        missed_count = j.missed_count + h.skipped, updated_at = now()
      FROM held h
      WHERE ${byKey('held', 'h')}
      RETURNING ${CHANGE_COLUMNS}, j.run_tick, j.run_skipped, j.last_start_at,
                j.success_count, j.failure_count,
                h.old_status, h.outcome, h.error_code, h.error_message, h.ended_at, h.ran_by
    ),
    recorded AS (
      INSERT INTO ${runs} (pool_id, job_id, scheduled_at, fence, owner, status,
                           skipped_before, claimed_at, finished_at, error_code, error_message)
      SELECT $1, d.job_id, d.run_tick, d.fence, COALESCE(d.ran_by, $15), ${RECORD_STATUS},
             d.run_skipped,
             COALESCE(d.last_start_at, d.run_tick), d.ended_at, d.error_code, d.error_message
        FROM done d WHERE d.run_tick IS NOT NULL
      ON CONFLICT DO NOTHING
    ),
    notified AS (
      SELECT pg_notify($16, ${changeMessageSql('d')}) FROM done d WHERE d.status <> d.old_status
    )
    SELECT (SELECT count(*) FROM notified) AS sent,
           ARRAY(SELECT d.n::integer FROM d WHERE NOT EXISTS (
             SELECT FROM done x WHERE x.job_id = d.job_id AND x.fence = d.fence)) AS refused`;
}

/** A command for a live run: the row moves from `from` to `to`, and it is announced. */
function commandSql({ jobs }: TableNames, to: string, from: string, channel: string): string {
  return `
    WITH changed AS (
      UPDATE ${jobs} j SET status = ${to}, version = j.version + 1,
             control_seq = j.control_seq + 1, updated_at = now()
       WHERE j.pool_id = $1 AND j.job_id = $2 AND j.status = '${from}'
         AND j.lease_owner IS NOT NULL
      RETURNING ${CHANGE_COLUMNS}
    )
    SELECT pg_notify(${channel}, ${changeMessageSql('c')}) FROM changed c`;
}
