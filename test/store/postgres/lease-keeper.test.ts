import { describe, expect, it } from 'vitest';
import type { HeldLease, RenewedLease } from '../../../src/store/postgres/heartbeat.js';
import { LeaseKeeper, type LeaseStatus } from '../../../src/store/postgres/lease-keeper.js';
import { createFakeClock } from '../../support/fake-clock.js';

const run: HeldLease = { jobId: 'a', fence: 7 };

function keeper() {
  const clock = createFakeClock();
  const lost: HeldLease[] = [];
  const changes: LeaseStatus[] = [];
  const leases = new LeaseKeeper(
    clock,
    { leaseTtlMs: 30_000, heartbeatIntervalMs: 10_000 },
    { lost: (r) => lost.push(r), changed: (change) => changes.push(change) },
  );
  leases.hold(run, clock.monotonic());
  return { clock, leases, lost, changes };
}

const answer: RenewedLease = { jobId: 'a', fence: 7, status: 'active', pauseTimeoutMs: undefined };

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

  it('gives a stale lease up when its run asks, before any heartbeat looks', async () => {
    const { clock, leases, lost } = keeper();
    await clock.tick(22_500);
    leases.check('a', 7);
    expect(lost).toEqual([]);

    await clock.tick(1);
    leases.check('a', 6);
    expect(lost).toEqual([]);
    leases.check('a', 7);
    expect(lost).toEqual([run]);
    expect(leases.get('a', 7)).toBeUndefined();
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

  it('turns a status seen in a heartbeat into a change for the run, each once', () => {
    const { leases, changes, clock } = keeper();
    const paused: RenewedLease = { ...answer, status: 'paused', pauseTimeoutMs: 500 };
    leases.renewed(leases.due(), [paused], clock.monotonic());
    leases.renewed(leases.due(), [paused], clock.monotonic());
    leases.renewed(leases.due(), [answer], clock.monotonic());
    leases.renewed(leases.due(), [{ ...answer, status: 'stopped' }], clock.monotonic());
    leases.renewed(leases.due(), [{ ...answer, status: 'stopped' }], clock.monotonic());
    expect(changes.map((c) => [c.status, c.pauseTimeoutMs])).toEqual([
      ['paused', 500],
      ['running', undefined],
      ['stopped', undefined],
    ]);
  });

  it('takes a status told by a notification as known', () => {
    const { leases, changes, clock } = keeper();
    leases.observe('a', 7, 'paused');
    leases.renewed(leases.due(), [{ ...answer, status: 'paused' }], clock.monotonic());
    expect(changes).toEqual([]);
  });
});
