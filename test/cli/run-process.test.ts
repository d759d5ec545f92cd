import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../support/prometheus-text.js';
import { startOrbit, type LogRecord } from '../support/orbit-process.js';

// These tests run `orbit run` as a real process on the real clock: they prove that the
// binary starts, logs, serves and stops the way a user sees it.

const FIXTURE = 'test/fixtures/cli/jobs.ts';

function runKey(record: LogRecord): string {
  return `${String(record.jobId)}#${String(record.fence)}`;
}

function runsOf(records: LogRecord[], event: string): string[] {
  return records.filter((record) => record.event === event).map(runKey);
}

describe('orbit run, as a process', () => {
  it('runs a TypeScript jobs module and stops on SIGTERM with no run lost', async () => {
    const orbit = startOrbit(['run', FIXTURE, '--grace', '5s']);
    await orbit.waitFor((record) => record.msg === 'orbit running');
    // The slow job takes 700 ms: stop while one of its runs is in progress.
    await orbit.waitFor((record) => record.event === 'run:started' && record.jobId === 'slow');
    orbit.signal('SIGTERM');
    const { code, stderr } = await orbit.exited;

    expect(stderr).toBe('');
    expect(code).toBe(0);
    const { records } = orbit;
    const started = runsOf(records, 'run:started');
    const finished = [...runsOf(records, 'run:succeeded'), ...runsOf(records, 'run:failed')];
    expect(started).toContain('slow#1');
    expect(started).toContain('tick#1');
    expect(finished.sort()).toEqual([...started].sort());

    const stopping = records.findIndex((record) => record.msg.startsWith('stopping'));
    expect(records[stopping]).toMatchObject({ signal: 'SIGTERM', graceMs: 5000 });
    expect(records.slice(stopping).some((record) => record.event === 'run:started')).toBe(false);
    const before = records.slice(0, stopping);
    const inFlight = runsOf(before, 'run:started').filter(
      (run) => ![...runsOf(before, 'run:succeeded'), ...runsOf(before, 'run:failed')].includes(run),
    );
    expect(inFlight).toContain('slow#1');
    expect(records.at(-1)).toMatchObject({
      msg: 'orbit stopped',
      finished: inFlight.length,
      aborted: 0,
    });
  });

  it('aborts a run that outlasts the grace period, and still exits with 0', async () => {
    const orbit = startOrbit(['run', FIXTURE, '--grace', '50ms']);
    await orbit.waitFor((record) => record.event === 'run:started' && record.jobId === 'slow');
    orbit.signal('SIGINT');
    const { code } = await orbit.exited;

    expect(code).toBe(0);
    const stopped = orbit.records.filter((record) => record.event === 'job:stopped');
    expect(stopped.find((record) => record.jobId === 'slow')).toMatchObject({
      reason: 'POOL_SHUTDOWN',
      abortedRun: { fence: 1 },
    });
    expect(orbit.records.at(-1)).toMatchObject({ msg: 'orbit stopped', aborted: 1 });
  });

  it('exits by itself with 0 once every job of a JavaScript module has ended', async () => {
    const orbit = startOrbit(['run', 'test/fixtures/cli/jobs-array.mjs']);
    const { code, stderr } = await orbit.exited;

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(orbit.records.find((record) => record.event === 'job:ended')).toMatchObject({
      jobId: 'once',
      reason: 'schedule-over',
      success: 1,
    });
    expect(orbit.records.at(-1)).toMatchObject({ msg: 'orbit stopped', finished: 0 });
  });

  it('serves Prometheus metrics at /metrics with --metrics', async () => {
    const orbit = startOrbit(['run', FIXTURE, '--metrics', '127.0.0.1:0', '--log-level', 'info']);
    const running = await orbit.waitFor((record) => record.msg === 'orbit running');
    const url = /metrics at (\S+)/.exec(String(running.notes))?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

    await new Promise((resolve) => setTimeout(resolve, 900));
    const response = await fetch(url!);
    const scrape = parsePrometheusText(await response.text());
    orbit.signal('SIGTERM');
    const { code } = await orbit.exited;

    expect(response.headers.get('content-type')).toContain('text/plain');
    const ticks = scrape.value('orbit_runs_total', {
      pool: 'fixture',
      job: 'tick',
      outcome: 'success',
    });
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(scrape.types.process_cpu_seconds_total).toBe('counter');
    expect(code).toBe(0);
    expect(orbit.records.some((record) => record.level === 'debug')).toBe(false);
  });

  it("serves the web dashboard with --dashboard, listing the module's jobs", async () => {
    const orbit = startOrbit(['run', FIXTURE, '--dashboard', '127.0.0.1:0', '--log-level', 'info']);
    const running = await orbit.waitFor((record) => record.msg === 'orbit running');
    const base = /dashboard at (\S+)/.exec(String(running.notes))?.[1];
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);

    const response = await fetch(new URL('/api/pools', base));
    const body = JSON.stringify(await response.json());
    orbit.signal('SIGTERM');
    const { code } = await orbit.exited;

    expect(response.status).toBe(200);
    expect(body).toContain('"tick"');
    expect(code).toBe(0);
  });

  it('exits with 1 and one coded line on an unknown command', async () => {
    const { code, stderr } = await startOrbit(['start', FIXTURE]).exited;

    expect(code).toBe(1);
    expect(stderr).toMatch(/^orbit: INVALID_CONFIG: unknown command 'start'; the commands are /);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
