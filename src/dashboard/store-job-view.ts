import type { ListedJob } from '../store/listed-job.js';
import type { RunRecord } from '../store/store.js';
import type { JobView, LastRunView, RecentRunView } from './job-view.js';
import { jsonText } from './json-text.js';
import { RECENT_RUNS } from './run-history.js';

const OUTCOMES = {
  running: 'running',
  success: 'succeeded',
  failure: 'failed',
  stopped: 'stopped',
} as const;

/**
 * The view of a job that another process runs, from the store: its row and its latest
 * runs (newest first, as `store.history` gives them). It carries no control: the
 * buttons act through a pool of this process.
 */
export function storeJobView(job: ListedJob, history: readonly RunRecord[]): JobView {
  const { text, truncated } = jsonText(job.data);
  return {
    id: job.jobId,
    name: job.jobId,
    status: job.status,
    nextRunAt: job.status === 'waiting' ? isoOf(job.dueAt) : null,
    lastRun: lastRunOf(job, history[0]),
    success: job.success,
    failure: job.failure,
    recentRuns: recentRunsOf(history),
    data: text,
    dataTruncated: truncated,
    elsewhere: true,
  };
}

function lastRunOf(job: ListedJob, latest: RunRecord | undefined): LastRunView | null {
  if (latest === undefined) {
    if (job.lastStartAt === undefined) return null;
    const endedAtMs = job.lastEndAt;
    const hasEnded = endedAtMs !== undefined && endedAtMs >= job.lastStartAt;
    return {
      startedAt: new Date(job.lastStartAt).toISOString(),
      endedAt: hasEnded ? new Date(endedAtMs).toISOString() : null,
      durationMs: hasEnded ? endedAtMs - job.lastStartAt : null,
      outcome: null,
      error: job.lastError ?? null,
    };
  }

  const isPaused = latest.outcome === 'running' && job.status === 'paused';
  return {
    startedAt: new Date(latest.startedAt).toISOString(),
    endedAt: isoOf(latest.endedAt),
    durationMs: latest.endedAt === undefined ? null : latest.endedAt - latest.startedAt,
    outcome: isPaused ? 'paused' : OUTCOMES[latest.outcome],
    error: latest.error ?? null,
  };
}

/** Finished runs that succeeded or failed, oldest first, as the sparkline draws them. */
function recentRunsOf(history: readonly RunRecord[]): RecentRunView[] {
  return history
    .filter((run) => run.endedAt !== undefined && run.outcome !== 'stopped')
    .slice(0, RECENT_RUNS)
    .reverse()
    .map((run) => ({
      durationMs: (run.endedAt ?? run.startedAt) - run.startedAt,
      failed: run.outcome === 'failure',
    }));
}

function isoOf(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}
