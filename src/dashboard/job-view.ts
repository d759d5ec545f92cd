import { isPlainObject } from '../config/checks.js';
import { jsonText } from './json-text.js';
import type { ErrorView, JobRuns, RunOutcome } from './run-history.js';

/** The latest run of a job, as the page shows it. */
export interface LastRunView {
  readonly startedAt: string;
  /** `null` while the run goes on. */
  readonly endedAt: string | null;
  readonly durationMs: number | null;
  /** `null` when the dashboard cannot tell (the run ended before it started). */
  readonly outcome: 'running' | 'paused' | RunOutcome | null;
  readonly error: ErrorView | null;
}

/** One finished run of the sparkline. */
export interface RecentRunView {
  readonly durationMs: number;
  readonly failed: boolean;
}

/** One job, as the API and the event stream send it. */
export interface JobView {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly nextRunAt: string | null;
  readonly lastRun: LastRunView | null;
  readonly success: number;
  readonly failure: number;
  /** Runs that succeeded or failed since the dashboard started, oldest first. */
  readonly recentRuns: readonly RecentRunView[];
  /** The job's saved data, as indented JSON text. */
  readonly data: string;
  readonly dataTruncated: boolean;
  /**
   * `true` for a job that only other processes run, shown from the shared store (see
   * `DashboardOptions.fleet`): it has no buttons, since control calls reach the pools of
   * this process only.
   */
  readonly elsewhere: boolean;
}

const LIVE_STATUSES = new Set(['running', 'paused']);

/**
 * The view of one job from its state in `pool.getMetrics()` and the runs the dashboard
 * saw. The state is read field by field: a custom monitoring may return anything.
 */
export function toJobView(jobId: string, state: unknown, runs: JobRuns | undefined): JobView {
  const fields = isPlainObject(state) ? state : {};
  const { text, truncated } = jsonText(isPlainObject(fields.data) ? fields.data : {});

  return {
    id: jobId,
    name: typeof fields.name === 'string' ? fields.name : jobId,
    status: typeof fields.status === 'string' ? fields.status : 'unknown',
    nextRunAt: isoOf(fields.nextRun),
    lastRun: lastRunOf(fields, runs),
    success: countOf(fields.success),
    failure: countOf(fields.failure),
    recentRuns: recentRunsOf(runs),
    data: text,
    dataTruncated: truncated,
    elsewhere: false,
  };
}

function lastRunOf(state: Record<string, unknown>, runs: JobRuns | undefined): LastRunView | null {
  const startedAtMs = msOf(state.startAt);
  if (startedAtMs === undefined) return null;

  const startedAt = new Date(startedAtMs).toISOString();
  const status = String(state.status);
  if (LIVE_STATUSES.has(status)) {
    const outcome = status === 'paused' ? 'paused' : 'running';
    return { startedAt, endedAt: null, durationMs: null, outcome, error: null };
  }

  const endedAtMs = msOf(state.endAt);
  const seen = runs?.latest?.startedAtMs === startedAtMs ? runs.latest : undefined;
  const error = jobErrorOf(state) ?? seen?.error ?? null;
  return {
    startedAt,
    endedAt: endedAtMs === undefined ? null : new Date(endedAtMs).toISOString(),
    durationMs: endedAtMs === undefined ? null : endedAtMs - startedAtMs,
    outcome: seen?.outcome ?? guessedOutcome(error, endedAtMs, status),
    error,
  };
}

/**
 * Without the run's events, the outcome as the state tells it, or `null`. A job stopped
 * without an error may have been stopped in a run or between runs: no telling.
 */
function guessedOutcome(
  error: ErrorView | null,
  endedAtMs: number | undefined,
  status: string,
): RunOutcome | null {
  if (error !== null) return STOP_CODES.has(error.code) ? 'stopped' : 'failed';
  return endedAtMs === undefined || status === 'stopped' ? null : 'succeeded';
}

const STOP_CODES = new Set(['JOB_STOPPED', 'POOL_SHUTDOWN']);

function jobErrorOf(state: Record<string, unknown>): ErrorView | null {
  const errors = isPlainObject(state.error) ? state.error : {};
  const jobError = errors.jobError;
  if (!(jobError instanceof Error)) return null;

  const code = (jobError as { code?: unknown }).code;
  return { code: typeof code === 'string' ? code : jobError.name, message: jobError.message };
}

function recentRunsOf(runs: JobRuns | undefined): RecentRunView[] {
  if (runs === undefined) return [];
  return runs.recent
    .toArray()
    .filter((run) => run.durationMs !== undefined)
    .map((run) => ({ durationMs: run.durationMs ?? 0, failed: run.outcome === 'failed' }));
}

function msOf(value: unknown): number | undefined {
  const ms = value instanceof Date ? value.getTime() : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

function isoOf(value: unknown): string | null {
  const ms = msOf(value);
  return ms === undefined ? null : new Date(ms).toISOString();
}

function countOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
