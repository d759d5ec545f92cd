import { describe, expect, it } from 'vitest';
import type { ClaimedRun } from '../../../src/store/postgres/claim.js';
import type { ControlMessage } from '../../../src/store/postgres/control.js';
import { LeaseKeeper } from '../../../src/store/postgres/lease-keeper.js';
import { createFakeClock } from '../../support/fake-clock.js';

const run: ClaimedRun = { jobId: 'a', fence: 7, tickMs: 0, leaseExpiresMs: 0 };

function keeper() {
  const clock = createFakeClock();
  const lost: ClaimedRun[] = [];
  const controls: ControlMessage[] = [];
  const leases = new LeaseKeeper(
    { clock, poolId: 'p', owner: 'me' },
    { leaseTtlMs: 30_000, heartbeatIntervalMs: 10_000 },
    { lost: (r) => lost.push(r), control: (m) => controls.push(m) },
  );
  leases.hold(run, clock.monotonic());
  return { clock, leases, lost, controls };
}

const answer = {
  jobId: 'a',
  fence: 7,
  status: 'active' as const,
  pauseRequestedMs: undefined,
  pauseTimeoutMs: undefined,
  controlSeq: 1,
};

describe('the lease keeper', () => {
  it('gives a lease up by itself before it can expire unconfirmed', async () => {
    const { clock, leases, lost } = keeper();
    // A quarter of the 30 s lease is kept as a margin: it goes after 22.5 s unconfirmed.
    await clock.tick(22_500);
    expect(leases.due()).toHaveLength(1);
    await clock.tick(1);
    expect(leases.due()).toEqual([]);
    expect(lost).toEqual([run]);
  });

  it('keeps a lease whose renewal the database confirmed', async () => {
    const { clock, leases, lost } = keeper();
    await clock.tick(15_000);
    leases.renewed(leases.due(), [answer], clock.monotonic());
    await clock.tick(15_000);
    expect(leases.due()).toHaveLength(1);
    expect(lost).toEqual([]);
  });

  it('gives a lease up when the database no longer renews it', () => {
    const { leases, lost, clock } = keeper();
    leases.renewed(leases.due(), [], clock.monotonic());
    expect(lost).toEqual([run]);
    expect(leases.get('a', 7)).toBeUndefined();
  });

  it('turns control state seen in a heartbeat into commands, each once', () => {
    const { leases, controls, clock } = keeper();
    const paused = { ...answer, pauseRequestedMs: 1, pauseTimeoutMs: 500 };
    leases.renewed(leases.due(), [paused], clock.monotonic());
    leases.renewed(leases.due(), [paused], clock.monotonic());
    leases.renewed(leases.due(), [answer], clock.monotonic());
    leases.renewed(leases.due(), [{ ...answer, status: 'stopped' }], clock.monotonic());
    expect(controls.map((m) => [m.command, m.timeoutMs])).toEqual([
      ['pause', 500],
      ['resume', null],
      ['stop', null],
    ]);
  });
});
