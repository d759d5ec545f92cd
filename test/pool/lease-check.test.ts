import { afterEach, describe, expect, it } from 'vitest';
import { Orbit } from '../../src/orbit.js';
import type { JobControl } from '../../src/job/job-config.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { StoreWatcher } from '../../src/store/store.js';
import { createFakeClock } from '../support/fake-clock.js';
import type { Pool } from '../support/harness.js';

/*
 * A store whose runs hold leases can find, when a job reads its signal or reaches a
 * checkpoint, that the run's lease went stale while the process stalled. It then tells
 * `runLost` at once, and the job sees its signal aborted at that very read, before it
 * takes its next step.
 */

/** A memory store that says, when asked, that the lease of each run is stale or not. */
class LeasingStore extends MemoryStore {
  readonly asked: [poolId: string, jobId: string, fence: number][] = [];
  stale = false;
  readonly #watchers: StoreWatcher[] = [];

  override watch(poolId: string, watcher: StoreWatcher): () => void {
    this.#watchers.push(watcher);
    return super.watch(poolId, watcher);
  }

  checkLease(poolId: string, jobId: string, fence: number): void {
    this.asked.push([poolId, jobId, fence]);
    if (this.stale) for (const watcher of this.#watchers) watcher.runLost(jobId, fence);
  }
}

let pool: Pool | undefined;

afterEach(async () => {
  await pool?.kill({ timeout: 0 });
  pool = undefined;
});

describe('a run whose lease went stale while its process stalled', () => {
  it('is aborted with RUN_LOST when its job reads the signal, and the read shows it', async () => {
    const clock = createFakeClock();
    const store = new LeasingStore();
    pool = new Orbit({ clock }).createPool({ id: 'leases', store });
    const seen: boolean[] = [];
    const failures: string[] = [];
    pool.on('run:failed', (event) => failures.push(event.error.code));
    pool.addJob({
      id: 'upload',
      interval: { time: '1m' },
      retry: { active: true },
      fn: async (ctrl: JobControl) => {
        seen.push(ctrl.signal.aborted);
        store.stale = true;
        seen.push(ctrl.signal.aborted);
        seen.push(await ctrl.checkpoint());
      },
    });
    pool.run();
    await clock.tick(0);

    expect(seen).toEqual([false, true, false]);
    expect(store.asked[0]).toEqual(['leases', 'upload', 1]);
    expect(failures).toEqual(['RUN_LOST']);
    expect(pool.getMetrics().upload).toMatchObject({ status: 'waiting', failure: 1 });
  });
});
