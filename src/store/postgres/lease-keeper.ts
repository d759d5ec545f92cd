import type { Clock } from '../../time/clock.js';
import type { ClaimedRun } from './claim.js';
import type { ControlMessage } from './control.js';
import type { RenewedLease } from './heartbeat.js';

/** A lease this process holds, with what it knows of the job's control state. */
export interface Lease {
  readonly run: ClaimedRun;
  /** Steady-clock time of sending the latest heartbeat the database confirmed. */
  confirmedAtMs: number;
  paused: boolean;
  stopped: boolean;
}

/** What the keeper tells its owner. */
export interface LeaseEvents {
  /** The run's lease is gone (reaped, taken over, or not renewed in time): abort it. */
  lost(run: ClaimedRun): void;
  /** A control change reached the run by a heartbeat rather than a notification. */
  control(message: ControlMessage): void;
}

/**
 * The leases of runs in progress in this process. It decides which are still safe to
 * hold: a lease whose renewal the database has not confirmed for nearly its TTL, by the
 * steady clock, is given up locally (self-fencing) before any other process can reap it,
 * since durations measured here run shorter than the database's view of the lease.
 */
export class LeaseKeeper {
  readonly #clock: Clock;
  readonly #poolId: string;
  readonly #owner: string;
  /** A lease older than this without confirmation is given up. */
  readonly #safeForMs: number;
  readonly #events: LeaseEvents;
  readonly #leases = new Map<string, Lease>();

  constructor(
    deps: { clock: Clock; poolId: string; owner: string },
    timing: { leaseTtlMs: number; heartbeatIntervalMs: number },
    events: LeaseEvents,
  ) {
    this.#clock = deps.clock;
    this.#poolId = deps.poolId;
    this.#owner = deps.owner;
    this.#safeForMs =
      timing.leaseTtlMs - Math.min(timing.heartbeatIntervalMs, timing.leaseTtlMs / 4);
    this.#events = events;
  }

  get size(): number {
    return this.#leases.size;
  }

  /** A run was claimed; its lease is confirmed as of the claim. */
  hold(run: ClaimedRun, sentAtMs: number): void {
    this.#leases.set(run.jobId, { run, confirmedAtMs: sentAtMs, paused: false, stopped: false });
  }

  /** The lease of `jobId` at `fence`, if still held. */
  get(jobId: string, fence: number): Lease | undefined {
    const lease = this.#leases.get(jobId);
    return lease?.run.fence === fence ? lease : undefined;
  }

  /** The run ended and its completion was recorded or refused: forget the lease. */
  release(jobId: string, fence: number): void {
    if (this.get(jobId, fence) !== undefined) this.#leases.delete(jobId);
  }

  /** The leases to renew now; those past their safe age are given up first. */
  due(): Lease[] {
    const nowMs = this.#clock.monotonic();
    for (const lease of [...this.#leases.values()]) {
      if (nowMs - lease.confirmedAtMs > this.#safeForMs) this.#lose(lease);
    }
    return [...this.#leases.values()];
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

  /** The reaper found these runs lost; any still held here are given up. */
  reaped(runs: readonly { jobId: string; fence: number }[]): void {
    for (const { jobId, fence } of runs) {
      const lease = this.get(jobId, fence);
      if (lease !== undefined) this.#lose(lease);
    }
  }

  /** A control message concerns a run here: keep the keeper's view in step. */
  observe(message: ControlMessage): Lease | undefined {
    const lease = this.get(message.job, message.fence);
    if (lease === undefined || message.owner !== this.#owner) return undefined;
    if (message.command === 'stop') lease.stopped = true;
    lease.paused = message.command === 'pause';
    return lease;
  }

  #reconcile(lease: Lease, answer: RenewedLease): void {
    const base = { pool: this.#poolId, job: lease.run.jobId, seq: answer.controlSeq };
    const run = { owner: this.#owner, fence: lease.run.fence };
    if (answer.status === 'stopped' && !lease.stopped) {
      lease.stopped = true;
      this.#events.control({ ...base, ...run, command: 'stop', timeoutMs: null });
      return;
    }
    const pauseAsked = answer.pauseRequestedMs !== undefined;
    if (pauseAsked === lease.paused || lease.stopped) return;
    lease.paused = pauseAsked;
    const timeoutMs = answer.pauseTimeoutMs ?? null;
    this.#events.control({ ...base, ...run, command: pauseAsked ? 'pause' : 'resume', timeoutMs });
  }

  #lose(lease: Lease): void {
    this.#leases.delete(lease.run.jobId);
    this.#events.lost(lease.run);
  }
}
