import { describe, expect, it } from 'vitest';
import { renderJobs } from '../../src/cli/commands/list.js';
import type { ListedJob } from '../../src/store/listed-job.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { LiveStatus } from '../../src/cli/live-status.js';
import { renderStatusTable } from '../../src/cli/status-table.js';
import { formatDuration } from '../../src/time/format-duration.js';
import { JobStatus, OrbitError, type JobState } from '../../src/index.js';
import { recordingTerminal } from '../support/cli-io.js';

const NOW = Date.UTC(2026, 0, 1, 12);

function state(jobId: string, extra: Partial<JobState> = {}): JobState {
  return {
    jobId,
    name: jobId,
    status: JobStatus.Waiting,
    startAt: undefined,
    endAt: undefined,
    nextRun: undefined,
    executionTime: 0,
    success: 0,
    failure: 0,
    data: {},
    error: { hookError: {} },
    ...extra,
  };
}

describe('the live status table', () => {
  it('shows one aligned row a job: status, counts, last run, next run and last error', () => {
    const error = new OrbitError('JOB_EXECUTION', "job 'sync' failed: timeout talking to API");
    const text = renderStatusTable(
      { poolId: 'main', store: 'memory', startedAtMs: NOW - 65_000, notes: ['metrics at X'] },
      {
        report: state('report', {
          status: JobStatus.Running,
          startAt: new Date(NOW - 1500),
          executionTime: 1500,
          success: 12,
        }),
        sync: state('sync', {
          failure: 3,
          startAt: new Date(NOW - 60_000),
          executionTime: 250,
          nextRun: new Date(NOW + 4200),
          error: { jobError: error, hookError: {} },
        }),
      },
      NOW,
    );

    expect(text.split('\n')).toEqual([
      'orbit: pool main on memory, up 1m05s; Ctrl-C stops gracefully',
      'metrics at X',
      '',
      'JOB     STATUS   OK  FAILED  LAST RUN  NEXT RUN  LAST ERROR',
      'report  running  12  0       1.5s      -',
      "sync    waiting  0   3       250ms     in 4.2s   job 'sync' failed: timeout talking to API",
    ]);
  });

  it('cuts lines to the terminal width', () => {
    const text = renderStatusTable(
      { poolId: 'a-very-long-pool-name', store: 'memory', startedAtMs: NOW, notes: [] },
      {},
      NOW,
      20,
    );

    expect(text.split('\n')[0]).toBe('orbit: pool a-very-…');
  });

  it('formats durations from milliseconds to hours', () => {
    expect([250, 4_200, 185_000, 7_800_000].map(formatDuration)).toEqual([
      '250ms',
      '4.2s',
      '3m05s',
      '2h10m',
    ]);
  });

  it('redraws in place: back to the first line drawn, clear, then the new text', () => {
    const terminal = recordingTerminal();
    let frame = 0;
    const live = new LiveStatus(terminal, () => `frame ${++frame}\nsecond line`);
    live.redraw();
    live.note('{"level":"warn"}');
    live.redraw();

    expect(terminal.text()).toBe(
      'frame 1\nsecond line\n' + '\x1b[2F\x1b[J' + 'frame 2\nsecond line\n\n{"level":"warn"}\n',
    );
  });

  it('cuts every line to a narrow terminal, so it goes back by the rows it drew', () => {
    const terminal = recordingTerminal(20);
    const live = new LiveStatus(terminal, () => 'JOB  STATUS  NEXT RUN  LAST ERROR\ntick');
    live.note('{"level":"warn","msg":"run failed","jobId":"tick"}');
    live.redraw();
    live.redraw();

    const [first, second] = terminal.text().split('\x1b[4F\x1b[J');
    expect(first).toBe('JOB  STATUS  NEXT R…\ntick\n\n{"level":"warn","ms…\n');
    expect(second).toBe(first);
    expect(
      terminal
        .text()
        .split('\n')
        .every((line) => line.length <= 20 + 8),
    ).toBe(true);
  });

  it('counts the rows of lines a terminal narrowed since they were drawn now takes', () => {
    const wide = recordingTerminal(40);
    let columns = 40;
    const narrowing = {
      get columns() {
        return columns;
      },
      write: (chunk: string) => wide.write(chunk),
    };
    const live = new LiveStatus(narrowing, () => 'x'.repeat(30));
    live.redraw();
    columns = 10;
    live.redraw();

    expect(wide.text()).toBe(`${'x'.repeat(30)}\n\x1b[3F\x1b[J${'x'.repeat(9)}…\n`);
  });
});

/** A job of pool `p` as a store lists it: fresh, as a store registers it, then `fields`. */
function listed(jobId: string, fields: Partial<ListedJob>): ListedJob {
  const definition = { jobId, name: jobId, scheduleHash: 'h', firstDueAt: undefined };
  const { job } = new MemoryStore().register('p', definition);
  return { poolId: 'p', ...job, ...fields };
}

describe('orbit list output', () => {
  it('prints the jobs of a store as a table with relative next runs', () => {
    const text = renderJobs(
      [
        listed('nightly', {
          status: 'waiting',
          success: 4,
          failure: 1,
          lastStartAt: NOW - 3_600_000,
          dueAt: NOW + 90_000,
          lastError: { code: 'JOB_EXECUTION', message: 'disk full' },
        }),
        listed('late', { status: 'running', dueAt: NOW - 2_000 }),
      ],
      NOW,
    );

    expect(text).toEqual([
      'POOL  JOB      STATUS   OK  FAILED  LAST START                NEXT RUN  LAST ERROR',
      'p     nightly  waiting  4   1       2026-01-01T11:00:00.000Z  in 1m30s  JOB_EXECUTION: disk full',
      'p     late     running  0   0       -                         2.0s ago',
    ]);
  });

  it('shows no next run for an ended job, whatever instant it was last due', () => {
    const text = renderJobs([listed('once', { status: 'ended', dueAt: NOW - 60_000 })], NOW);

    expect(text[1]).toMatch(/^p +once +ended +0 +0 +- +-$/);
  });

  it('says so when the store holds no jobs', () => {
    expect(renderJobs([], NOW)).toEqual(['no jobs']);
  });
});
