import type { JobState } from '../monitoring/monitoring.js';
import { formatDuration } from '../time/format-duration.js';
import { fitWidth, textTable } from './text-table.js';

/** What the live status shows above its table. */
export interface StatusHeader {
  readonly poolId: string;
  readonly store: string;
  readonly startedAtMs: number;
  /** Extra lines, such as where the metrics are served. */
  readonly notes: readonly string[];
}

const COLUMNS = ['JOB', 'STATUS', 'OK', 'FAILED', 'LAST RUN', 'NEXT RUN', 'LAST ERROR'] as const;

/** The status of every job as a text table, fitted to `width` columns. */
export function renderStatusTable(
  header: StatusHeader,
  states: Readonly<Record<string, JobState>>,
  nowMs: number,
  width = 100,
): string {
  const rows = Object.values(states).map((state) => jobRow(state, nowMs));
  const uptime = formatDuration(nowMs - header.startedAtMs);
  const lines = [
    `orbit: pool ${header.poolId} on ${header.store}, up ${uptime}; Ctrl-C stops gracefully`,
    ...header.notes,
    '',
    ...textTable(COLUMNS, rows),
  ];
  return lines.map((line) => fitWidth(line, width)).join('\n');
}

function jobRow(state: JobState, nowMs: number): string[] {
  return [
    state.jobId,
    state.status,
    String(state.success),
    String(state.failure),
    state.startAt === undefined ? '-' : formatDuration(state.executionTime),
    state.nextRun === undefined
      ? '-'
      : `in ${formatDuration(Math.max(state.nextRun.getTime() - nowMs, 0))}`,
    state.error.jobError?.message ?? '',
  ];
}
