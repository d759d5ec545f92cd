import type { Clock } from '../../time/clock.js';
import type { HeldLease, RenewedLease } from './heartbeat.js';

/** What a run here last knew of its job's status. */
type RunStatus = 'running' | 'paused' | 'stopped';

/** A lease this process holds, with what it knows of the job's status. */
export interface Lease {
  readonly run: HeldLease;
  /** Steady-clock time of sending the latest heartbeat the database confirmed. */
  confirmedAtMs: number;
  status: RunStatus;
}

/** A status a heartbeat found for a run here that differs from what the run knew. */
export interface LeaseStatus {
  readonly jobId: string;
  readonly fence: number;
  readonly status: RunStatus | 'ended';
  readonly pauseTimeoutMs: number | undefined;
}

/** What the keeper tells its owner. */
export interface LeaseEvents {
  /** The run's lease is gone (taken over, closed, or not renewed in time): abort it. */
  lost(run: HeldLease): void;
  /** A status change reached the run by a heartbeat rather than a notification. */
  changed(change: LeaseStatus): void;
}

/**
 * The leases of one pool's runs in progress in this process. It decides which are still
 * safe to hold: a lease whose renewal the database has not confirmed for nearly its TTL,
 * by the steady clock, is given up locally (self-fencing) before any other process can
 * take it over, since durations measured here run shorter than the database's view.
 */
export class LeaseKeeper {
  readonly #clock: Clock;
  /** A lease older than this without confirmation is given up. */
  readonly #safeForMs: number;
  readonly #events: LeaseEvents;
  readonly #leases = new Map<string, Lease>();

  constructor(
    clock: Clock,
    timing: { leaseTtlMs: number; heartbeatIntervalMs: number },
    events: LeaseEvents,
  ) {
    this.#clock = clock;
    this.#safeForMs =
      timing.leaseTtlMs - Math.min(timing.heartbeatIntervalMs, timing.leaseTtlMs / 4);
    this.#events = events;
  }

  get size(): number {
    return this.#leases.size;
  }

  /** A run was claimed (or taken over); its lease is confirmed as of `sentAtMs`. */
  hold(run: HeldLease, sentAtMs: number): void {
    this.#leases.set(run.jobId, { run, confirmedAtMs: sentAtMs, status: 'running' });
  }

  /** The lease of `jobId` at `fence`, if still held. */
  get(jobId: string, fence: number): Lease | undefined {
    const lease = this.#leases.get(jobId);
    return lease?.run.fence === fence ? lease : undefined;
  }

  /** The run ended, or its lease was closed: forget the lease. */
  release(jobId: string, fence?: number): void {
    if (fence === undefined || this.get(jobId, fence) !== undefined) this.#leases.delete(jobId);
  }

  /** The leases to renew now; those past their safe age are given up first. */
  due(): Lease[] {
    const nowMs = this.#clock.monotonic();
    for (const lease of [...this.#leases.values()]) this.#loseIfStale(lease, nowMs);
    return [...this.#leases.values()];
  }

  /** Gives the lease of `jobId` at `fence` up now if it is past its safe age. */
  check(jobId: string, fence: number): void {
    const lease = this.get(jobId, fence);
    if (lease !== undefined) this.#loseIfStale(lease, this.#clock.monotonic());
  }

  #loseIfStale(lease: Lease, nowMs: number): void {
    if (nowMs - lease.confirmedAtMs > this.#safeForMs) this.#lose(lease);
  }

  /** The database answered a heartbeat sent at `sentAtMs` for `sent`. */
  renewed(sent: readonly Lease[], renewed: readonly RenewedLease[], sentAtMs: number): void {
    const answers = new Map(renewed.map((answer) => [answer.jobId, answer]));
    for (const lease of sent) {
      if (this.#leases.get(lease.run.jobId) !== lease) continue;
      const answer = answers.get(lease.run.jobId);
      if (answer === undefined || answer.fence !== lease.run.fence) {
        this.#lose(lease);
        continue;
      }
      lease.confirmedAtMs = sentAtMs;
      this.#reconcile(lease, answer);
    }
  }

  /** A notification told the run of `jobId` at `fence` its status: keep in step. */
  observe(jobId: string, fence: number, status: string): void {
    const lease = this.get(jobId, fence);
    if (lease === undefined) return;
    if (status === 'running' || status === 'paused' || status === 'stopped') {
      lease.status = status;
    }
  }

  #reconcile(lease: Lease, answer: RenewedLease): void {
    const status = runStatus(answer.status);
    if (status === lease.status || lease.status === 'stopped') return;

    lease.status = status === 'ended' ? 'stopped' : status;
    const { jobId, fence } = lease.run;
    this.#events.changed({ jobId, fence, status, pauseTimeoutMs: answer.pauseTimeoutMs });
  }

  #lose(lease: Lease): void {
    this.#leases.delete(lease.run.jobId);
    this.#events.lost(lease.run);
  }
}

function runStatus(rowStatus: RenewedLease['status']): LeaseStatus['status'] {
  return rowStatus === 'active' ? 'running' : rowStatus;
}
