/**
 * Whether a job row may retry after one more failure, as SQL over the row `j` before the
 * update: the job's retry policy and the retries it has used. The fenced completion and
 * the reaper share it, so a run lost with its process goes through the same policy as a
 * run that failed.
 */
export const MAY_RETRY = `(j.retry_active AND (j.retry_limit = 0 OR j.retries_used < j.retry_limit))`;

/** The SET clauses that end a run's hold on its job row: lease and pause cleared. */
export const RELEASE_LEASE = `
        lease_owner = NULL,
        lease_expires_at = NULL,
        pause_requested_at = NULL,
        pause_timeout_ms = NULL,
        version = j.version + 1,`;
