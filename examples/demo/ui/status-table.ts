import { JobStatus, type JobState } from '../../../src/index.js';
import { formatBytes, formatMs } from '../format.js';
import type { Paint, Style } from './ansi.js';
import { progressBar } from './progress-bar.js';

/** One job as the table lists it. */
export interface TableJob {
  id: string;
  schedule: string;
  /** Show a progress bar from `data.processed` and `data.total` under this job. */
  hasProgress: boolean;
}

const STATUS_STYLES: Record<JobStatus, Style> = {
  waiting: 'dim',
  running: 'green',
  paused: 'yellow',
  completed: 'blue',
  error: 'red',
  ended: 'magenta',
  stopped: 'magenta',
};

const COLUMNS = [
  ['JOB', 8],
  ['SCHEDULE', 22],
  ['STATUS', 10],
  ['OK', 5],
  ['FAIL', 5],
  ['LAST RUN', 9],
  ['NEXT RUN', 9],
] as const;

const BAR_WIDTH = 30;

/** A bar is bright while its run goes on, and dim once the run is over. */
const BAR_STYLES: Partial<Record<JobStatus, Style>> = { running: 'cyan', paused: 'yellow' };

/** The header and one row per job (plus a progress line where asked), each a line. */
export function renderStatusTable(
  jobs: readonly TableJob[],
  states: Readonly<Record<string, JobState | undefined>>,
  nowMs: number,
  paint: Paint,
): string[] {
  const header = paint('bold', row(COLUMNS.map(([title]) => title)));
  const lines = [header];

  for (const job of jobs) {
    const state = states[job.id];
    lines.push(jobRow(job, state, nowMs, paint));
    if (job.hasProgress && state !== undefined) lines.push(progressLine(state, paint));
  }

  return lines;
}

function jobRow(job: TableJob, state: JobState | undefined, nowMs: number, paint: Paint) {
  if (state === undefined) return row([job.id, job.schedule, '-']);

  const cells = row([
    job.id,
    job.schedule,
    state.status,
    String(state.success),
    String(state.failure),
    state.startAt === undefined ? '-' : formatMs(state.executionTime),
    nextRunText(state, nowMs),
  ]);
  const statusStart = COLUMNS[0][1] + COLUMNS[1][1];
  const statusEnd = statusStart + COLUMNS[2][1];
  const status = paint(STATUS_STYLES[state.status], cells.slice(statusStart, statusEnd));
  return cells.slice(0, statusStart) + status + cells.slice(statusEnd);
}

function nextRunText(state: JobState, nowMs: number): string {
  const isScheduled = state.status !== JobStatus.Stopped && state.status !== JobStatus.Ended;
  if (!isScheduled || state.nextRun === undefined) return '-';

  const inMs = state.nextRun.getTime() - nowMs;
  return inMs <= 0 ? 'due' : `in ${formatMs(inMs)}`;
}

function progressLine(state: JobState, paint: Paint): string {
  const processed = numberOr(state.data.processed, 0);
  const total = numberOr(state.data.total, 0);
  if (total === 0) return `${' '.repeat(COLUMNS[0][1])}${paint('dim', 'no progress yet')}`;

  const fraction = processed / total;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const lines = numberOr(state.data.lines, 0);
  const detail = `${formatBytes(processed)} of ${formatBytes(total)}, ${lines} lines`;
  const bar = paint(BAR_STYLES[state.status] ?? 'dim', progressBar(fraction, BAR_WIDTH));
  return `${' '.repeat(COLUMNS[0][1])}${bar} ${percent}  ${paint('dim', detail)}`;
}

/** Cells padded to their column; a cell too long for its column is cut to keep a gap. */
function row(cells: readonly string[]): string {
  const padded = cells.map((cell, index) => {
    const width = COLUMNS[index]?.[1] ?? cell.length + 1;
    return cell.length < width ? cell.padEnd(width) : `${cell.slice(0, width - 2)}… `;
  });
  return padded.join('').trimEnd();
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
