import { describe, expect, it } from 'vitest';
import { Orbit } from '../../src/orbit.js';
import type { JobControl } from '../../src/job/job-config.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { createFakeClock, type FakeClock } from '../support/fake-clock.js';
import { expectOrbitError } from '../support/expect-error.js';
import { stateOf, type Pool } from '../support/harness.js';

/*
 * Two pools that share a store and a pool id behave like two processes sharing a
 * database: what one does to a job reaches the other, wherever the job runs.
 */

function twoPools(clock: FakeClock): [Pool, Pool] {
  const store = new MemoryStore();
  const make = () => new Orbit({ clock }).createPool({ id: 'shared', store });
  return [make(), make()];
}

/** A long job that works at checkpoints until stopped, noting what happens to it. */
function checkpointing(clock: FakeClock, events: string[]) {
  return async (ctrl: JobControl) => {
    events.push('started');
    while (!ctrl.signal.aborted) {
      if (await ctrl.checkpoint().catch(() => false)) events.push('resumed');
      await new Promise<void>((resolve) => clock.setTimeout(() => resolve(), 10));
    }
    events.push(`aborted ${(ctrl.signal.reason as { code: string }).code}`);
  };
}

describe('pools sharing a store', () => {
  it('pause, resume and stop a run from the pool that does not hold it', async () => {
    const clock = createFakeClock();
    const [runner, other] = twoPools(clock);
    const events: string[] = [];
    for (const pool of [runner, other]) {
      pool.addJob({ id: 'work', interval: { time: '1h' }, fn: checkpointing(clock, events) });
    }
    runner.run();
    await clock.tick(5);
    other.run();
    await clock.tick(5);
    expect(events).toEqual(['started']);

    other.pauseJob('work', 500);
    await clock.tick(50);
    expect(stateOf(runner, 'work').status).toBe('paused');
    expect(stateOf(other, 'work').status).toBe('paused');

    other.resumeJob('work');
    await clock.tick(50);
    expect(events).toEqual(['started', 'resumed']);
    expect(stateOf(runner, 'work').status).toBe('running');
    expect(stateOf(other, 'work').status).toBe('waiting');

    other.stopJob('work');
    await clock.tick(50);
    expect(events).toEqual(['started', 'resumed', 'aborted JOB_STOPPED']);
    expect(stateOf(runner, 'work').status).toBe('stopped');
    expect(stateOf(other, 'work').status).toBe('stopped');
    await Promise.all([runner.kill(), other.kill()]);
  });

  it('show a job stopped in one pool as stopped in the other, and resumed in both', async () => {
    const clock = createFakeClock();
    const [first, second] = twoPools(clock);
    const runs: string[] = [];
    first.addJob({ id: 'tick', interval: { time: 100 }, fn: () => runs.push('first') });
    second.addJob({ id: 'tick', interval: { time: 100 }, fn: () => runs.push('second') });
    first.run();
    second.run();
    await clock.tick(250);
    const ranBefore = runs.length;

    first.stopJob('tick');
    expect(stateOf(second, 'tick').status).toBe('stopped');
    await clock.tick(1_000);
    expect(runs).toHaveLength(ranBefore);

    second.resumeJob('tick');
    expect(stateOf(first, 'tick').status).toBe('waiting');
    await clock.tick(1_000);
    expect(runs.length).toBeGreaterThanOrEqual(ranBefore + 9);
    await Promise.all([first.kill(), second.kill()]);
  });

  it('refuse a pause of a job that runs nowhere', () => {
    const clock = createFakeClock();
    const [first] = twoPools(clock);
    first.addJob({ id: 'idle', interval: { time: '1h' }, fn: () => undefined });

    expectOrbitError(() => first.pauseJob('idle'), 'JOB_NOT_RUNNING');
  });
});
