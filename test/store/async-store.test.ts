import { describe, expect, it } from 'vitest';
import { Orbit } from '../../src/orbit.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { asyncStore } from '../support/async-store.js';
import { createFakeClock } from '../support/fake-clock.js';
import { describeStoreConformance } from './conformance.js';
import { describePoolOnStore } from './pool-on-store.js';

describeStoreConformance('a store that answers with promises', ({ historyLimit }) => {
  const inner = new MemoryStore({ historyLimit });
  return Promise.resolve({ store: asyncStore(inner), cleanup: () => inner.close() });
});

describePoolOnStore('a store that answers with promises', () => {
  const store = asyncStore(new MemoryStore());
  return { seesCrashes: false, open: () => store, cleanup: () => undefined };
});

describe('a pool on a store that answers with promises', () => {
  it('runs each tick once, in order, with growing fences', async () => {
    const clock = createFakeClock();
    const pool = new Orbit({ clock }).createPool({ store: asyncStore(new MemoryStore()) });
    const fences: number[] = [];
    pool.addJob({ id: 'a', fn: (ctrl) => void fences.push(ctrl.fence), interval: { time: 100 } });
    pool.run();

    await clock.tick(450);
    await pool.kill();

    expect(fences).toEqual([1, 2, 3, 4, 5]);
  });

  it('does not run a job stopped while its claim was on the way', async () => {
    const clock = createFakeClock();
    const inner = new MemoryStore({ historyLimit: 5 });
    const pool = new Orbit({ clock }).createPool({ id: 'p', store: asyncStore(inner) });
    let runs = 0;
    pool.addJob({
      id: 'a',
      fn: () => {
        runs++;
      },
      interval: { time: 100 },
    });
    await clock.flush();
    pool.run();

    pool.stopJob('a');
    await clock.tick(500);
    await pool.kill();

    expect(runs).toBe(0);
    expect(inner.history('p', 'a').map((run) => run.outcome)).not.toContain('running');
  });

  it('waits for the writes in flight before kill resolves', async () => {
    const clock = createFakeClock();
    const inner = new MemoryStore();
    const pool = new Orbit({ clock }).createPool({ id: 'p', store: asyncStore(inner) });
    pool.addJob({ id: 'a', fn: () => undefined, interval: { time: 100 } });
    pool.run();
    await clock.tick(50);

    await pool.kill();

    expect(inner.job('p', 'a')).toMatchObject({
      status: 'waiting',
      success: 1,
      dueAt: 100 + Date.UTC(2026, 0, 1),
    });
  });
});
