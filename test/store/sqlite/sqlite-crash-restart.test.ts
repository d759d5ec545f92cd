import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../support/temp-dir.js';

const CHILD = join(import.meta.dirname, 'fixtures', 'crash-child.ts');
const TICK_MS = 200;

/** One line the child prints. */
interface ChildEvent {
  event: 'added' | 'run' | 'report';
  fence?: number;
  scheduledAt?: number;
  state?: Record<string, unknown>;
  runs?: Record<string, unknown>[];
}

/** Starts the child on `path` and collects its events until `until` says stop. */
function runChild(path: string, mode: string, until: (event: ChildEvent) => boolean) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const events: ChildEvent[] = [];
  const done = new Promise<ChildEvent[]>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as ChildEvent;
      events.push(event);
      if (until(event)) resolve(events);
    });
    child.on('exit', (code) => reject(new Error(`child exited (${String(code)}) too early`)));
  });
  return { child, done };
}

describe('the SQLite store when its process dies mid-run', () => {
  let dir: ReturnType<typeof makeTempDir>;
  const children: ChildProcess[] = [];

  beforeEach(() => {
    dir = makeTempDir('sqlite-crash');
  });

  afterEach(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    dir.remove();
  });

  it('keeps the job where it was and records the lost run as RUN_LOST', async () => {
    const path = join(dir.path, 'orbit.db');

    const first = runChild(path, 'crash', (event) => event.event === 'run' && event.fence === 3);
    children.push(first.child);
    const crashed = await first.done;
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    const lost = crashed.at(-1)!;

    const second = runChild(path, 'resume', (event) => event.event === 'report');
    children.push(second.child);
    const resumed = await second.done;

    const added = resumed[0]!;
    expect(added.state).toMatchObject({ status: 'waiting', success: 2, failure: 1 });
    expect(added.state!.error).toMatchObject({ jobError: { code: 'RUN_LOST' } });

    const run = resumed.find((event) => event.event === 'run')!;
    expect(run.fence).toBe(4);
    expect(run.scheduledAt).toBeGreaterThan(lost.scheduledAt!);
    expect((run.scheduledAt! - lost.scheduledAt!) % TICK_MS).toBe(0);

    const report = resumed.at(-1)!;
    expect(report.state).toMatchObject({ success: 3, failure: 1, fence: 4 });
    expect(report.runs!.map((entry) => [entry.fence, entry.outcome])).toEqual([
      [4, 'success'],
      [3, 'failure'],
      [2, 'success'],
      [1, 'success'],
    ]);
    expect(report.runs![1]).toMatchObject({ error: { code: 'RUN_LOST' } });
  });

  it('keeps a job paused when its paused run is lost, even with no retry', async () => {
    const path = join(dir.path, 'orbit.db');

    const first = runChild(path, 'pause-crash', (event) => event.event === 'run');
    children.push(first.child);
    await first.done;
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');

    const second = runChild(path, 'pause-resume', (event) => event.event === 'report');
    children.push(second.child);
    const [added, report] = await second.done;

    expect(added!.state).toMatchObject({ status: 'paused', success: 0, failure: 1 });
    expect(added!.state!.error).toMatchObject({ jobError: { code: 'RUN_LOST' } });
    expect(report!.state).toMatchObject({ status: 'paused', fence: 1, failure: 1 });
  });
});
